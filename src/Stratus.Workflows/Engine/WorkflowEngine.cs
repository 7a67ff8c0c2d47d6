using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Core.Secrets;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Graph;
using Stratus.Workflows.Lifecycle;
using Stratus.Workflows.Queue;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Runs executions: moves them pending -> started, builds and stores the graph (or restores a stored one), runs it,
/// and ends the execution terminated, failed or cancelled with Cloudify's workflow events. Status changes are
/// compare-and-set, so a cancel request that wins a race is never overwritten.
/// </summary>
internal sealed partial class WorkflowEngine(
    IStratusStore store,
    IMessageBroker broker,
    TimeProvider timeProvider,
    IOptions<WorkflowOptions> options,
    ExecutionQueue queue,
    ILogger<WorkflowEngine> logger,
    SecretCipher? secretCipher = null) : IAsyncDisposable
{
    private static readonly string[] CancelStates =
        [ExecutionStatus.Cancelling, ExecutionStatus.ForceCancelling, ExecutionStatus.KillCancelling];

    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);
    private readonly WorkflowOptions _options = options.Value;
    private readonly AgentPinger _pinger = new(broker, timeProvider, options.Value, logger);

    /// <summary>Stops the pinger's reply consumer (its temporary queue goes with it).</summary>
    public ValueTask DisposeAsync() => _pinger.DisposeAsync();

    /// <summary>
    /// Runs (or resumes) the execution. <paramref name="started"/> completes once the run is durable — the graph is
    /// stored and the execution is started — or once the run turns out to have nothing to do.
    /// </summary>
    public async Task RunAsync(
        string executionId,
        WorkflowStartMessage? message,
        TaskCompletionSource? started = null,
        CancellationToken cancellationToken = default)
    {
        if (!_running.TryAdd(executionId, 0))
        {
            started?.TrySetResult();
            return;
        }

        try
        {
            await RunCoreAsync(executionId, message, started, cancellationToken);
        }
        finally
        {
            _running.TryRemove(executionId, out _);
            started?.TrySetResult();
        }

        await StartQueuedAsync(cancellationToken);
    }

    /// <summary>An ended execution may free its deployment or a slot: start what waits in the queue.</summary>
    private async Task StartQueuedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queue.StartQueuedAsync(cancellationToken);
        }
#pragma warning disable CA1031 // The run itself is over and stored; a failed dequeue is retried by the next end or scheduler tick.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.DequeueFailed(logger, ex);
        }
    }

    private async Task RunCoreAsync(string executionId, WorkflowStartMessage? message, TaskCompletionSource? started, CancellationToken cancellationToken)
    {
        var execution = await store.GetExecutionAsync(null, executionId, cancellationToken);
        if (execution is null)
        {
            Log.ExecutionMissing(logger, executionId);
            return;
        }

        if (ExecutionStatus.IsEnd(execution.Status) || ExecutionStatus.WaitingStates.Contains(execution.Status))
        {
            Log.ExecutionSkipped(logger, executionId, execution.Status);
            return;
        }

        var identity = new WorkflowIdentity
        {
            ExecutionId = execution.Id,
            WorkflowId = execution.WorkflowId,
            TenantName = execution.TenantName,
            DeploymentId = execution.DeploymentId,
            BlueprintId = execution.BlueprintId,
            CreatorUsername = message?.ExecutionCreatorUsername ?? execution.CreatedBy,
            DryRun = message?.DryRun ?? execution.IsDryRun,
        };
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ExecutionId"] = execution.Id,
            ["WorkflowId"] = execution.WorkflowId,
            ["DeploymentId"] = execution.DeploymentId,
        });
        var events = new EventBuffer(store, _options.EventBatchSize);
        var eventFactory = new EventFactory(identity, timeProvider, _options.ManagerName);
        var run = new Run(identity, events, eventFactory);

        if (CancelStates.Contains(execution.Status))
        {
            await EndCancelledAsync(run, cancellationToken);
            return;
        }

        var graphs = await store.ListTaskGraphsAsync(executionId, cancellationToken);
        var resume = graphs.Count > 0 || execution.Status == ExecutionStatus.Started;
        if (execution.Status == ExecutionStatus.Pending
            && !await store.TryTransitionExecutionAsync(
                executionId,
                new ExecutionTransition { To = ExecutionStatus.Started, ExpectedFrom = [ExecutionStatus.Pending], StartedAt = timeProvider.GetUtcNow() },
                cancellationToken))
        {
            // Someone else moved it (a cancel request before we started): honour that state.
            var now = await store.GetExecutionAsync(null, executionId, cancellationToken);
            if (now is not null && CancelStates.Contains(now.Status))
            {
                await EndCancelledAsync(run, cancellationToken);
            }

            return;
        }

        Log.WorkflowStarting(logger, identity.WorkflowId, executionId, resume);
        await events.AddAsync(
            eventFactory.Create("workflow_started", $"{(resume ? "Resuming" : "Starting")} '{identity.WorkflowId}' workflow execution{identity.DryRunSuffix}"),
            cancellationToken);
        if (identity.DeploymentId is not null)
        {
            await store.UpdateDeploymentStatusAsync(identity.TenantName, identity.DeploymentId, null, "in_progress", executionId, cancellationToken);
        }

        try
        {
            var secrets = new StoreSecrets(store, secretCipher, identity.TenantName, identity.CreatorUsername);
            var parameters = message?.Parameters ?? execution.Parameters;
            var token = message?.ExecutionToken ?? await IssueTokenAsync(executionId, cancellationToken);
            var workflowRun = new WorkflowRun(
                store, broker, timeProvider, _options, logger, identity, token, parameters, events, eventFactory, graphs, started)
            {
                Secrets = secrets,
                Pinger = _pinger,
                ResolvedParameters = await RuntimeParameters.ResolveAsync(store, identity, secrets, parameters, cancellationToken),
            };
            var outcome = await BuiltInWorkflows.RunAsync(workflowRun, cancellationToken);
            await DeleteReplyQueuesAsync(executionId, cancellationToken);
            await EndAsync(run, outcome, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the execution stays started and the next start resumes it.
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !TransientFailure.Is(ex))
        {
            // A transient failure (database or broker unreachable) is not the workflow's: it propagates, the execution
            // stays as stored, and the next holder of its lease resumes it.
            Log.WorkflowCrashed(logger, executionId, ex);
            await EndAsync(run, new GraphOutcome(ExecutionStatus.Failed, ex.Message), cancellationToken);
            await DeleteReplyQueuesAsync(executionId, cancellationToken);
        }
    }

    /// <summary>The execution's reply queue and its dead-letter queue go with the run: nothing waits on them any more.</summary>
    private async Task DeleteReplyQueuesAsync(string executionId, CancellationToken cancellationToken)
    {
        var queue = QueueNames.ExecutionResponses(executionId);
        await broker.DeleteQueueAsync(queue, cancellationToken);
        await broker.DeleteQueueAsync(DeadLetter.QueueFor(queue), cancellationToken);
    }

    /// <summary>
    /// A resumed run has no plain token (only its hash is stored): issue a fresh one so agents can still call REST
    /// back. Null when the execution is no longer active.
    /// </summary>
    private async Task<string?> IssueTokenAsync(string executionId, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return await store.SetExecutionTokenHashAsync(executionId, hash, cancellationToken) ? token : null;
    }

    /// <summary>The per-execution objects the end of a run needs.</summary>
    private sealed record Run(WorkflowIdentity Identity, EventBuffer Events, EventFactory EventFactory);
}
