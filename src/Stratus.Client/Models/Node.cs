using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A node (template) of a deployment, from <c>GET /nodes</c>.</summary>
public sealed record Node
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("blueprint_id")]
    public string? BlueprintId { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("type_hierarchy")]
    public IReadOnlyList<string>? TypeHierarchy { get; init; }

    [JsonPropertyName("properties")]
    public JsonObject? Properties { get; init; }

    [JsonPropertyName("host_id")]
    public string? HostId { get; init; }

    [JsonPropertyName("number_of_instances")]
    public int NumberOfInstances { get; init; }

    [JsonPropertyName("planned_number_of_instances")]
    public int PlannedNumberOfInstances { get; init; }
}
