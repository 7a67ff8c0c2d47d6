using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>An agent, from <c>GET /agents</c>.</summary>
public sealed record Agent
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("host_id")]
    public string? HostId { get; init; }

    [JsonPropertyName("node_instance_id")]
    public string? NodeInstanceId { get; init; }

    [JsonPropertyName("ip")]
    public string? Ip { get; init; }

    [JsonPropertyName("install_method")]
    public string? InstallMethod { get; init; }

    [JsonPropertyName("system")]
    public string? System { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("node")]
    public string? Node { get; init; }

    [JsonPropertyName("deployment")]
    public string? Deployment { get; init; }

    [JsonPropertyName("state")]
    public string? State { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; init; }

    [JsonPropertyName("last_heartbeat")]
    public string? LastHeartbeat { get; init; }
}
