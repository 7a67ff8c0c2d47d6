using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A deployment as <c>GET /deployments/{id}</c> returns it.</summary>
public sealed record Deployment
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("blueprint_id")]
    public string? BlueprintId { get; init; }

    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("inputs")]
    public JsonObject? Inputs { get; init; }

    /// <summary>Output definitions (<c>{"name": {"value": ..., "description": ...}}</c>); evaluated values come from <c>/outputs</c>.</summary>
    [JsonPropertyName("outputs")]
    public JsonObject? Outputs { get; init; }

    [JsonPropertyName("capabilities")]
    public JsonObject? Capabilities { get; init; }

    [JsonPropertyName("workflows")]
    public JsonArray? Workflows { get; init; }

    /// <summary><c>active</c> when every node instance is started, else <c>inactive</c>.</summary>
    [JsonPropertyName("installation_status")]
    public string? InstallationStatus { get; init; }

    /// <summary><c>good</c>, <c>in_progress</c> or <c>requires_attention</c>.</summary>
    [JsonPropertyName("deployment_status")]
    public string? DeploymentStatus { get; init; }

    /// <summary>The <c>create_deployment_environment</c> execution started by the create call, if any.</summary>
    [JsonPropertyName("create_execution")]
    public string? CreateExecution { get; init; }

    [JsonPropertyName("latest_execution")]
    public string? LatestExecution { get; init; }

    [JsonPropertyName("latest_execution_status")]
    public string? LatestExecutionStatus { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyList<Label>? Labels { get; init; }

    [JsonPropertyName("visibility")]
    public string? Visibility { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; init; }
}
