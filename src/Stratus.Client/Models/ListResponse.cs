using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>Cloudify's list envelope: <c>{"items": [...], "metadata": {"pagination": {...}}}</c>.</summary>
public sealed record ListResponse<T>
{
    [JsonPropertyName("items")]
    public IReadOnlyList<T> Items { get; init; } = [];

    [JsonPropertyName("metadata")]
    public ListMetadata Metadata { get; init; } = new();
}
