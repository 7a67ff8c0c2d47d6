using System.Collections.Concurrent;
using System.Text.Json;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent.Ctx;

/// <summary>
/// A workflow script's line to the engine that runs its execution: each request goes to the execution's queue and
/// its answer (the operation's end, after its retries) comes back on a reply queue private to this script run.
/// </summary>
internal sealed class WorkflowOperations : IAsyncDisposable
{
    private readonly IMessageBroker _broker;
    private readonly TaskContext _context;
    private readonly string _replyQueue;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskResponse>> _waiting = new(StringComparer.Ordinal);
    private IAsyncDisposable? _consumer;

    private WorkflowOperations(IMessageBroker broker, TaskContext context)
    {
        _broker = broker;
        _context = context;
        _replyQueue = QueueNames.WorkflowScriptReplies(context.TaskId, Guid.NewGuid().ToString("N"));
    }

    public static async Task<WorkflowOperations> OpenAsync(IMessageBroker broker, TaskContext context, CancellationToken cancellationToken = default)
    {
        var operations = new WorkflowOperations(broker, context);
        await broker.DeclareQueueAsync(operations._replyQueue, QueueOptions.Default, cancellationToken);
        operations._consumer = await broker.ConsumeAsync(operations._replyQueue, operations.OnAnswerAsync, prefetch: 16, cancellationToken);
        return operations;
    }

    /// <summary>Asks the engine to run the operation and waits for how it ended.</summary>
    public async Task<TaskResponse> ExecuteAsync(string nodeInstanceId, string operation, System.Text.Json.Nodes.JsonObject? kwargs, bool allowKwargsOverride, CancellationToken cancellationToken = default)
    {
        var request = new WorkflowRequest
        {
            ScriptTaskId = _context.TaskId,
            NodeInstanceId = nodeInstanceId,
            Operation = operation,
            Kwargs = kwargs,
            AllowKwargsOverride = allowKwargsOverride,
        };
        var id = Guid.NewGuid().ToString("N");
        var answer = new TaskCompletionSource<TaskResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = answer;
        try
        {
            await _broker.PublishAsync(
                QueueNames.ExecutionResponses(_context.ExecutionId),
                new OutgoingMessage { Body = request.ToBody(), CorrelationId = id, MessageId = id, ReplyTo = _replyQueue },
                cancellationToken);
            return await answer.Task.WaitAsync(cancellationToken);
        }
        catch (QueueNotFoundException)
        {
            throw new CtxException("NonRecoverableError", $"Execution {_context.ExecutionId} is not running: the operation was not sent");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _consumer, null) is { } consumer)
        {
            await consumer.DisposeAsync();
        }

        await _broker.DeleteQueueAsync(_replyQueue, CancellationToken.None);
        await _broker.DeleteQueueAsync(DeadLetter.QueueFor(_replyQueue), CancellationToken.None);
    }

    private async Task OnAnswerAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        TaskResponse? response = null;
        try
        {
            response = JsonSerializer.Deserialize<TaskResponse>(message.Body.Span);
        }
        catch (JsonException)
        {
            // Not an answer: dropped below like an answer nobody waits for.
        }

        if (response is not null && message.CorrelationId is { } id && _waiting.TryGetValue(id, out var waiting))
        {
            waiting.TrySetResult(response);
        }

        await message.AckAsync(cancellationToken);
    }
}
