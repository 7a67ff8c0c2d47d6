using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A node instance, from <c>GET /node-instances</c>.</summary>
public sealed record NodeInstance
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("node_id")]
    public string? NodeId { get; init; }

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("host_id")]
    public string? HostId { get; init; }

    [JsonPropertyName("index")]
    public int Index { get; init; }

    /// <summary>Lifecycle state: <c>uninitialized</c>, <c>creating</c>, ..., <c>started</c>, ..., <c>deleted</c>.</summary>
    [JsonPropertyName("state")]
    public string? State { get; init; }

    [JsonPropertyName("runtime_properties")]
    public JsonObject? RuntimeProperties { get; init; }

    [JsonPropertyName("system_properties")]
    public JsonObject? SystemProperties { get; init; }

    [JsonPropertyName("relationships")]
    public JsonArray? Relationships { get; init; }

    [JsonPropertyName("version")]
    public int Version { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }
}
