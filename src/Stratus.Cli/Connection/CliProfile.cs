using System.Text.Json.Serialization;

namespace Stratus.Cli.Connection;

/// <summary>The saved connection in <c>~/.stratus/profile.json</c> (written by <c>stratus profiles use</c>).</summary>
internal sealed record CliProfile
{
    [JsonPropertyName("manager_url")]
    public string? ManagerUrl { get; init; }

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("password")]
    public string? Password { get; init; }

    [JsonPropertyName("tenant")]
    public string? Tenant { get; init; }
}
