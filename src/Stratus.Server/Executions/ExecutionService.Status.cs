using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Executions;

/// <summary>Status changes: cancel/kill requests (compare-and-set) and the status updates of a running workflow.</summary>
internal sealed partial class ExecutionService
{
    private static readonly string[] ValidActions = ["cancel", "force-cancel", "kill", "resume", "force-resume", "requeue"];

    public async Task<Execution> ActAsync(Caller caller, string id, string action, CancellationToken cancellationToken)
    {
        if (!ValidActions.Contains(action))
        {
            throw StratusException.BadParameters($"Invalid action: {action}, Valid action values are: {Wire.PyList(ValidActions)}");
        }

        var execution = caller.Visible(await store.GetExecutionAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Execution", id);
        if (action is "resume" or "force-resume")
        {
            return await ResumeAsync(caller, execution, action == "force-resume", cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        ExecutionTransition transition;
        // A queued or scheduled execution has nothing running: any cancel, kill included, ends it at once (Cloudify).
        if (action is "cancel" or "force-cancel" or "kill" && ExecutionStatus.WaitingStates.Contains(execution.Status))
        {
            transition = new ExecutionTransition { To = ExecutionStatus.Cancelled, ExpectedFrom = ExecutionStatus.WaitingStates, EndedAt = now };
        }
        else
        {
            transition = action switch
            {
                "cancel" => new ExecutionTransition { To = ExecutionStatus.Cancelling, ExpectedFrom = [ExecutionStatus.Pending, ExecutionStatus.Started] },
                "force-cancel" => new ExecutionTransition
                {
                    To = ExecutionStatus.ForceCancelling,
                    ExpectedFrom = [ExecutionStatus.Pending, ExecutionStatus.Started, ExecutionStatus.Cancelling],
                },
                "kill" => new ExecutionTransition
                {
                    To = ExecutionStatus.KillCancelling,
                    ExpectedFrom = [ExecutionStatus.Pending, ExecutionStatus.Started, ExecutionStatus.Cancelling, ExecutionStatus.ForceCancelling],
                },
                _ => throw StratusException.IllegalAction($"The `{action}` action is not supported by this manager"),
            };
        }

        if (!await store.TryTransitionExecutionAsync(id, transition, cancellationToken))
        {
            var current = await store.GetExecutionAsync(caller.Tenant, id, cancellationToken);
            throw StratusException.IllegalAction($"Can't {action} execution {id} because it's in status {current?.Status ?? execution.Status}");
        }

        return await store.GetExecutionAsync(caller.Tenant, id, cancellationToken) ?? execution;
    }

    /// <summary>The mgmtworker's <c>PATCH /executions/{id}</c>; Cloudify's transition rules.</summary>
    public async Task<Execution> UpdateStatusAsync(Caller caller, string id, string status, string? error, CancellationToken cancellationToken)
    {
        if (!ExecutionStatus.All.Contains(status))
        {
            throw StratusException.BadParameters($"Invalid status: {status}");
        }

        var execution = caller.Visible(await store.GetExecutionAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Execution", id);
        var from = execution.Status;
        var invalid = ExecutionStatus.IsEnd(from)
            || (from == ExecutionStatus.Cancelling && (ExecutionStatus.IsActive(status) || status == ExecutionStatus.Terminated) && status != from)
            || (from == ExecutionStatus.ForceCancelling && status == ExecutionStatus.Cancelling);
        if (invalid && status != from)
        {
            throw new StratusException(ErrorCodes.InvalidExecutionStatusUpdate, 400, $"Can't update execution status: from {from} to {status}");
        }

        var now = timeProvider.GetUtcNow();
        var transition = new ExecutionTransition
        {
            To = status,
            ExpectedFrom = [from],
            Error = error,
            StartedAt = status == ExecutionStatus.Started ? now : null,
            EndedAt = ExecutionStatus.IsEnd(status) ? now : null,
        };
        if (!await store.TryTransitionExecutionAsync(id, transition, cancellationToken))
        {
            throw StratusException.Conflict($"Execution {id} changed status concurrently; retry");
        }

        if (execution.DeploymentId is { } deploymentId && status != from)
        {
            await UpdateDeploymentStatusAsync(caller.Tenant, deploymentId, id, status, CancellationToken.None);
        }

        if (ExecutionStatus.IsEnd(status) && status != from)
        {
            // Checkpoint: the end is stored; if dequeuing fails or the process dies here, the next end, scheduler
            // tick or manager start dequeues instead.
            await queue.StartQueuedAsync(CancellationToken.None);
        }

        return await store.GetExecutionAsync(caller.Tenant, id, cancellationToken) ?? execution;
    }

    /// <summary>Cloudify's <c>decide_deployment_status</c> after an execution of the deployment changes status.</summary>
    private async Task UpdateDeploymentStatusAsync(string tenant, string deploymentId, string executionId, string status, CancellationToken cancellationToken)
    {
        if (!ExecutionStatus.IsEnd(status))
        {
            await store.UpdateDeploymentStatusAsync(tenant, deploymentId, null, "in_progress", executionId, cancellationToken);
            return;
        }

        var instances = await store.ListNodeInstancesAsync(tenant, DeploymentReads.In("deployment_id", [deploymentId]), cancellationToken);
        var active = instances.Items.Count > 0 && instances.Items.All(i => i.State == NodeInstanceState.Started);
        var deploymentStatus = status == ExecutionStatus.Failed || !active ? "requires_attention" : "good";
        await store.UpdateDeploymentStatusAsync(tenant, deploymentId, active ? "active" : "inactive", deploymentStatus, executionId, cancellationToken);
    }
}
