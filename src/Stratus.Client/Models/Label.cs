using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

public sealed record Label
{
    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    [JsonPropertyName("value")]
    public string Value { get; init; } = "";
}
