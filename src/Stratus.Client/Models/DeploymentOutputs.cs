using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary><c>GET /deployments/{id}/outputs</c>: evaluated output values.</summary>
public sealed record DeploymentOutputs
{
    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("outputs")]
    public JsonObject Outputs { get; init; } = [];
}
