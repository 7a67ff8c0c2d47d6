using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary><c>GET /deployments/{id}/capabilities</c>: evaluated capability values.</summary>
public sealed record DeploymentCapabilities
{
    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("capabilities")]
    public JsonObject Capabilities { get; init; } = [];
}
