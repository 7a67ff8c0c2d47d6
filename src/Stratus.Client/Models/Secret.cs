using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A secret as <c>GET /secrets/{key}</c> returns it (list items carry no value).</summary>
public sealed record Secret
{
    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    /// <summary>The clear value on a read (a JSON structure for a typed secret); empty when hidden from the caller.</summary>
    [JsonPropertyName("value")]
    public JsonNode? Value { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; init; }

    [JsonPropertyName("visibility")]
    public string? Visibility { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("is_hidden_value")]
    public bool IsHiddenValue { get; init; }

    [JsonPropertyName("schema")]
    public JsonObject? Schema { get; init; }

    [JsonPropertyName("provider_name")]
    public string? ProviderName { get; init; }

    /// <summary>Without the value, so a secret printed by accident shows nothing secret.</summary>
    public override string ToString() => $"Secret {{ Key = {Key}, Visibility = {Visibility}, TenantName = {TenantName}, IsHiddenValue = {IsHiddenValue} }}";
}
