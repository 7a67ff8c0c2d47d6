using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

public sealed record Execution
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required string WorkflowId { get; init; }

    public string? DeploymentId { get; init; }

    public string? BlueprintId { get; init; }

    public string Status { get; init; } = ExecutionStatus.Pending;

    public string Error { get; init; } = "";

    public JsonObject Parameters { get; init; } = [];

    public bool IsSystemWorkflow { get; init; }

    public bool IsDryRun { get; init; }

    public bool AllowCustomParameters { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int TotalOperations { get; init; }

    public int FinishedOperations { get; init; }

    /// <summary>SHA-256 hex of the execution token agents present; the token itself is never stored.</summary>
    public string? TokenHash { get; init; }

    public bool Resume { get; init; }
}
