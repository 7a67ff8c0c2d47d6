namespace Stratus.Workflows.Lifecycle;

/// <summary>Who and what a workflow runs for; copied into every operation context.</summary>
internal sealed record WorkflowIdentity
{
    public required string ExecutionId { get; init; }

    public required string WorkflowId { get; init; }

    public required string TenantName { get; init; }

    public string? DeploymentId { get; init; }

    public string? BlueprintId { get; init; }

    public string? CreatorUsername { get; init; }

    /// <summary>A dry run builds and walks the graph without running operations or changing instance states.</summary>
    public bool DryRun { get; init; }

    /// <summary>Cloudify's suffix on the events of a dry run.</summary>
    public string DryRunSuffix => DryRun ? " (dry run)" : "";
}
