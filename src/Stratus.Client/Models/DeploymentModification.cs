using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A deployment modification as <c>GET /deployment-modifications/{id}</c> returns it.</summary>
public sealed record DeploymentModification
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("ended_at")]
    public DateTimeOffset? EndedAt { get; init; }

    [JsonPropertyName("visibility")]
    public string? Visibility { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    /// <summary>Node or scaling-group name to <c>{instances, removed_ids_include_hint, removed_ids_exclude_hint}</c>.</summary>
    [JsonPropertyName("modified_nodes")]
    public JsonObject? ModifiedNodes { get; init; }

    /// <summary>added_and_related, removed_and_related, before_modification, before_rollback (node instance objects).</summary>
    [JsonPropertyName("node_instances")]
    public JsonObject? NodeInstances { get; init; }

    /// <summary>What the starter attached; the scale workflow puts blueprint_id, deployment_id, execution_id, workflow_id.</summary>
    [JsonPropertyName("context")]
    public JsonObject? Context { get; init; }
}
