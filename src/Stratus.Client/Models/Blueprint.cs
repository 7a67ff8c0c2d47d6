using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A blueprint as <c>GET /blueprints/{id}</c> returns it.</summary>
public sealed record Blueprint
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("main_file_name")]
    public string? MainFileName { get; init; }

    /// <summary>One of Cloudify's BlueprintUploadState values: <c>uploaded</c>, <c>invalid</c>, <c>failed_parsing</c>...</summary>
    [JsonPropertyName("state")]
    public string? State { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("plan")]
    public JsonObject? Plan { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyList<Label>? Labels { get; init; }

    [JsonPropertyName("visibility")]
    public string? Visibility { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; init; }
}
