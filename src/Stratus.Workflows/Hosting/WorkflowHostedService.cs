using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Queue;

namespace Stratus.Workflows.Hosting;

/// <summary>
/// Consumes workflow start messages and runs at most <see cref="WorkflowOptions.MaxConcurrentWorkflows"/> at once;
/// on start it resumes executions a previous process left running.
/// </summary>
internal sealed class WorkflowHostedService(
    IMessageBroker broker,
    IStratusStore store,
    WorkflowEngine engine,
    ExecutionQueue queue,
    IOptions<WorkflowOptions> options,
    ILogger<WorkflowHostedService> logger) : BackgroundService
{
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
            var left = await store.ListExecutionsByStatusAsync(
                [ExecutionStatus.Pending, ExecutionStatus.Started, ExecutionStatus.Cancelling, ExecutionStatus.ForceCancelling, ExecutionStatus.KillCancelling],
                stoppingToken);
            Log.ResumingExecutions(logger, left.Count);
            foreach (var execution in left)
            {
                await StartRunAsync(execution.Id, null, stoppingToken);
            }
        }

        var consumer = await broker.ConsumeAsync(QueueNames.Workflows, HandleAsync, options.Value.MaxConcurrentWorkflows, stoppingToken);
        try
        {
            // What ended while no manager ran (or ended on a manager that died before dequeuing) is started now.
            await queue.StartQueuedAsync(stoppingToken);
            await Task.Delay(Timeout.Infinite, stoppingToken);
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

        var started = await StartRunAsync(start.ExecutionId, start, cancellationToken);
        await started.WaitAsync(cancellationToken);
        // Checkpoint: the execution is started with its graph stored (or needed nothing); a crash after this line
        // is covered by resume-on-start, so the message can go.
        await message.AckAsync(cancellationToken);
    }

    /// <summary>Waits for a free slot, starts the run in the background, returns when the run is durable.</summary>
    private async Task<Task> StartRunAsync(string executionId, WorkflowStartMessage? start, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(
            async () =>
            {
                try
                {
                    await engine.RunAsync(executionId, start, started, _stopping);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    // Stopping: the execution is resumed on the next start.
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.WorkflowCrashed(logger, executionId, ex);
                }
                finally
                {
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
