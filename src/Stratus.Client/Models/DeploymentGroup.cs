using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A deployment group as <c>GET /deployment-groups/{id}</c> returns it.</summary>
public sealed record DeploymentGroup
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("default_blueprint_id")]
    public string? DefaultBlueprintId { get; init; }

    [JsonPropertyName("default_inputs")]
    public JsonObject? DefaultInputs { get; init; }

    [JsonPropertyName("deployment_ids")]
    public IReadOnlyList<string> DeploymentIds { get; init; } = [];

    [JsonPropertyName("visibility")]
    public string? Visibility { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }
}
