using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

public sealed record VersionInfo
{
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("edition")]
    public string? Edition { get; init; }

    [JsonPropertyName("distribution")]
    public string? Distribution { get; init; }

    [JsonPropertyName("distro_release")]
    public string? DistroRelease { get; init; }
}
