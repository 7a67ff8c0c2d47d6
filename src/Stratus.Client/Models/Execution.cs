using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>A workflow execution, from <c>GET /executions/{id}</c>.</summary>
public sealed record Execution
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("workflow_id")]
    public string? WorkflowId { get; init; }

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("blueprint_id")]
    public string? BlueprintId { get; init; }

    /// <summary>Cloudify's ExecutionState: <c>pending</c>, <c>started</c>, <c>terminated</c>, <c>failed</c>, <c>cancelled</c>...</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("status_display")]
    public string? StatusDisplay { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("parameters")]
    public JsonObject? Parameters { get; init; }

    [JsonPropertyName("is_system_workflow")]
    public bool IsSystemWorkflow { get; init; }

    [JsonPropertyName("is_dry_run")]
    public bool IsDryRun { get; init; }

    [JsonPropertyName("total_operations")]
    public int? TotalOperations { get; init; }

    [JsonPropertyName("finished_operations")]
    public int? FinishedOperations { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("started_at")]
    public DateTimeOffset? StartedAt { get; init; }

    [JsonPropertyName("ended_at")]
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>True once the execution can no longer change: terminated, failed or cancelled.</summary>
    [JsonIgnore]
    public bool IsEnded => ExecutionStates.IsEnded(Status);
}
