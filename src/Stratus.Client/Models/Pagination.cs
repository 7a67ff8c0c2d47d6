using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

public sealed record Pagination
{
    [JsonPropertyName("total")]
    public int Total { get; init; }

    [JsonPropertyName("size")]
    public int Size { get; init; }

    [JsonPropertyName("offset")]
    public int Offset { get; init; }
}
