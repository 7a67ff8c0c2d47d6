using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

public sealed record ListMetadata
{
    [JsonPropertyName("pagination")]
    public Pagination Pagination { get; init; } = new();

    [JsonPropertyName("filtered")]
    public int? Filtered { get; init; }
}
