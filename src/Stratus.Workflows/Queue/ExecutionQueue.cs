using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Workflows.Queue;

/// <summary>
/// Starts queued executions that may run now (Cloudify's <c>start_queued_executions</c>): called whenever an
/// execution ends, when a manager starts, and on every scheduler tick. The store moves each one queued -> pending by
/// compare-and-set under a shared lock; this class then publishes its start message.
/// </summary>
public sealed partial class ExecutionQueue(
    IStratusStore store,
    IMessageBroker broker,
    IOptions<ExecutionQueueOptions> options,
    ILogger<ExecutionQueue> logger)
{
    /// <summary>Dequeues and publishes; returns the executions started.</summary>
    public async Task<IReadOnlyList<Execution>> StartQueuedAsync(CancellationToken cancellationToken = default)
    {
        var started = await store.DequeueExecutionsAsync(options.Value.MaxConcurrentWorkflows, cancellationToken);
        if (started.Count == 0)
        {
            return started;
        }

        await broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, cancellationToken);
        foreach (var execution in started)
        {
            // Checkpoint: the execution is pending before its message exists. If the process dies here it stays
            // pending without a message, and the engine's resume-on-start runs it; the engine issues its token.
            var message = new WorkflowStartMessage
            {
                ExecutionId = execution.Id,
                WorkflowId = execution.WorkflowId,
                TaskName = WorkflowStartMessage.BuiltInTaskName(execution.WorkflowId),
                TenantName = execution.TenantName,
                DeploymentId = execution.DeploymentId,
                BlueprintId = execution.BlueprintId,
                ExecutionCreatorUsername = execution.CreatedBy,
                Parameters = execution.Parameters,
                DryRun = execution.IsDryRun,
                Resume = execution.Resume,
            };
            await broker.PublishAsync(
                QueueNames.Workflows,
                new OutgoingMessage { Body = message.ToBody(), MessageId = execution.Id, CorrelationId = execution.Id },
                cancellationToken);
            LogDequeued(logger, execution.Id, execution.WorkflowId, execution.DeploymentId);
        }

        return started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dequeued execution {ExecutionId} ({WorkflowId} on {DeploymentId})")]
    private static partial void LogDequeued(ILogger logger, string executionId, string workflowId, string? deploymentId);
}
