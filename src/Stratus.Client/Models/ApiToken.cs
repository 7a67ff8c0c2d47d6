using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>An API token; <see cref="Value"/> holds the secret only in the answer to its creation.</summary>
public sealed record ApiToken
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("value")]
    public string Value { get; init; } = "";

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("expiration_date")]
    public DateTimeOffset? ExpirationDate { get; init; }

    [JsonPropertyName("last_used")]
    public DateTimeOffset? LastUsed { get; init; }
}
