using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Workflows.Engine;

internal sealed partial class WorkflowEngine
{
    private async Task EndAsync(Run run, GraphOutcome outcome, CancellationToken cancellationToken)
    {
        var identity = run.Identity;
        var workflow = identity.WorkflowId;
        if (outcome.Status == ExecutionStatus.Cancelled)
        {
            await EndCancelledAsync(run, cancellationToken);
            return;
        }

        var succeeded = outcome.Status == ExecutionStatus.Terminated;
        await run.Events.AddAsync(
            succeeded
                ? run.EventFactory.Create("workflow_succeeded", $"'{workflow}' workflow execution succeeded{identity.DryRunSuffix}")
                : run.EventFactory.Create("workflow_failed", $"'{workflow}' workflow execution failed: {outcome.Error}"),
            cancellationToken);
        await run.Events.FlushAsync(cancellationToken);
        if (identity.DeploymentId is not null)
        {
            string? installation = succeeded && !identity.DryRun ? workflow switch { "install" => "active", "uninstall" => "inactive", _ => null } : null;
            await store.UpdateDeploymentStatusAsync(
                identity.TenantName, identity.DeploymentId, installation, succeeded ? "good" : "requires_attention", identity.ExecutionId, cancellationToken);
            await Functions.DependencyTargets.RefreshAsync(store, identity.TenantName, identity.DeploymentId, cancellationToken);
        }

        // Checkpoint: events and deployment status are stored before the status says the execution ended, so a
        // client that sees the end state also sees the last event.
        var ended = await store.TryTransitionExecutionAsync(
            identity.ExecutionId,
            new ExecutionTransition
            {
                To = outcome.Status,
                // Pending too: a resume request for an execution this engine was still running (Cloudify allows
                // resuming a started execution) must not leave it pending once the run is over.
                ExpectedFrom = [ExecutionStatus.Started, ExecutionStatus.Pending],
                Error = outcome.Error ?? "",
                EndedAt = timeProvider.GetUtcNow(),
            },
            cancellationToken);
        if (!ended)
        {
            // A cancel request arrived after the last round: the execution ends cancelled.
            await EndCancelledAsync(run, cancellationToken);
            return;
        }

        Log.WorkflowEnded(logger, identity.ExecutionId, outcome.Status);
    }

    private async Task EndCancelledAsync(Run run, CancellationToken cancellationToken)
    {
        await run.Events.AddAsync(
            run.EventFactory.Create("workflow_cancelled", $"'{run.Identity.WorkflowId}' workflow execution cancelled"),
            cancellationToken);
        await run.Events.FlushAsync(cancellationToken);
        if (run.Identity.DeploymentId is not null)
        {
            await store.UpdateDeploymentStatusAsync(
                run.Identity.TenantName, run.Identity.DeploymentId, null, "good", run.Identity.ExecutionId, cancellationToken);
        }

        await store.TryTransitionExecutionAsync(
            run.Identity.ExecutionId,
            new ExecutionTransition
            {
                To = ExecutionStatus.Cancelled,
                ExpectedFrom = CancelStates,
                EndedAt = timeProvider.GetUtcNow(),
            },
            cancellationToken);
        Log.WorkflowEnded(logger, run.Identity.ExecutionId, ExecutionStatus.Cancelled);
    }
}
