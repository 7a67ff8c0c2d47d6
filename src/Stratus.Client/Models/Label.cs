using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A blueprint or deployment label as the manager lists it.</summary>
public sealed record Label
{
    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    [JsonPropertyName("value")]
    public string Value { get; init; } = "";

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }
}
