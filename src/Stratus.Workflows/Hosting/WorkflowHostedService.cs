using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Workflows.Cluster;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Queue;

namespace Stratus.Workflows.Hosting;

/// <summary>
/// Consumes workflow start messages and runs at most <see cref="WorkflowOptions.MaxConcurrentWorkflows"/> at once;
/// on start it resumes executions a previous process left running. Each run holds its execution's lease
/// (<see cref="ExecutionLeases"/>): a start message whose execution another live manager holds is dropped, and
/// executions whose manager died are taken over (<c>WorkflowHostedService.Takeover.cs</c>).
/// </summary>
internal sealed partial class WorkflowHostedService(
    IMessageBroker broker,
    WorkflowEngine engine,
    ExecutionQueue queue,
    ExecutionLeases leases,
    TimeProvider timeProvider,
    IOptions<WorkflowOptions> options,
    IOptions<ExecutionLeaseOptions> leaseOptions,
    ILogger<WorkflowHostedService> logger) : BackgroundService
{
    private static readonly TimeSpan StartRetryFirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StartRetryMaxDelay = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentWorkflows);
    private readonly List<Task> _runs = [];
    private readonly Lock _runsLock = new();
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, stoppingToken);
        if (options.Value.ResumeOnStart)
        {
            // Executions nobody holds (left by a manager that stopped, or pending without a message) and those whose
            // manager stopped renewing: with one manager, everything a previous process left running.
            var left = await leases.ClaimOrphansAsync(10_000, includeUnleased: true, stoppingToken);
            Log.ResumingExecutions(logger, left.Count);
            foreach (var lease in left)
            {
                await StartRunAsync(lease, null, stoppingToken);
            }
        }

        var consumer = await broker.ConsumeAsync(QueueNames.Workflows, HandleAsync, options.Value.MaxConcurrentWorkflows, stoppingToken);
        try
        {
            // What ended while no manager ran (or ended on a manager that died before dequeuing) is started now.
            await queue.StartQueuedAsync(stoppingToken);
            await TakeOverLoopAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await consumer.DisposeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Task[] runs;
        lock (_runsLock)
        {
            runs = [.. _runs];
        }

        await Task.WhenAll(runs).WaitAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    private async Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        WorkflowStartMessage start;
        try
        {
            start = WorkflowStartMessage.FromBody(message.Body.Span);
        }
        catch (FormatException ex)
        {
            Log.UnreadableMessage(logger, QueueNames.Workflows, ex);
            await message.NackAsync(requeue: false, cancellationToken);
            return;
        }

        var lease = await AcquireWhenReachableAsync(start.ExecutionId, cancellationToken);
        if (lease is null)
        {
            // A duplicate delivery, a message for an execution another live manager runs, or one that already ended:
            // the holder (or nobody) has it; nothing to do here.
            LogNotClaimed(logger, start.ExecutionId, leases.ManagerId);
            await message.AckAsync(cancellationToken);
            return;
        }

        var started = await StartRunAsync(lease, start, cancellationToken);
        await started.WaitAsync(cancellationToken);
        // Checkpoint: the execution is started with its graph stored (or needed nothing); a crash after this line
        // is covered by resume-on-start, so the message can go.
        await message.AckAsync(cancellationToken);
    }

    /// <summary>
    /// Claims the execution's lease, waiting out a database outage with back-off while holding the message unacked:
    /// a start message is never nacked (and so never dead-lettered) because the database was away.
    /// </summary>
    private async Task<HeldLease?> AcquireWhenReachableAsync(string executionId, CancellationToken cancellationToken)
    {
        var delay = StartRetryFirstDelay;
        while (true)
        {
            try
            {
                return await leases.TryAcquireAsync(executionId, cancellationToken);
            }
            catch (Exception ex) when (TransientFailure.Is(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogStartDeferred(logger, executionId, ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, StartRetryMaxDelay.Ticks));
            }
        }
    }

    /// <summary>Waits for a free slot, starts the run in the background, returns when the run is durable.</summary>
    private async Task<Task> StartRunAsync(HeldLease lease, WorkflowStartMessage? start, CancellationToken cancellationToken)
    {
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await leases.ReleaseAsync(lease, CancellationToken.None);
            lease.Dispose();
            throw;
        }

        var executionId = lease.ExecutionId;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(
            async () =>
            {
                using var token = CancellationTokenSource.CreateLinkedTokenSource(_stopping, lease.Lost);
                try
                {
                    await engine.RunAsync(executionId, start, started, token.Token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Stopping, or the lease went to another manager: the execution is resumed by whoever holds it next.
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A crash the engine did not settle (the database or broker was unreachable): the execution stays
                    // as stored and the released lease lets a manager (this one included) resume it on its next scan.
                    Log.WorkflowCrashed(logger, executionId, ex);
                }
                finally
                {
                    // Checkpoint: released after the run is over; if the process dies before this, the lease expires.
                    await leases.ReleaseAsync(lease, CancellationToken.None);
                    lease.Dispose();
                    _slots.Release();
                    started.TrySetResult();
                }
            },
            CancellationToken.None);
        lock (_runsLock)
        {
            _runs.RemoveAll(t => t.IsCompleted);
            _runs.Add(run);
        }

        return started.Task;
    }
}
