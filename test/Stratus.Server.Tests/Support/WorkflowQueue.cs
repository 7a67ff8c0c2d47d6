using System.Collections.Concurrent;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Server.Tests.Support;

/// <summary>Stands in for the workflow engine: records the start messages the REST service publishes.</summary>
internal sealed class WorkflowQueue : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WorkflowStartMessage>> _byExecution = new();
    private IAsyncDisposable? _consumer;

    public static async Task<WorkflowQueue> ListenAsync(IMessageBroker broker)
    {
        var queue = new WorkflowQueue();
        queue._consumer = await broker.ConsumeAsync(
            QueueNames.Workflows,
            async (message, ct) =>
            {
                var start = WorkflowStartMessage.FromBody(message.Body.Span);
                queue.Slot(start.ExecutionId).TrySetResult(start);
                await message.AckAsync(ct);
            },
            prefetch: 10,
            TestContext.Current.CancellationToken);
        return queue;
    }

    public async Task<WorkflowStartMessage> NextForAsync(string executionId)
    {
        try
        {
            return await Slot(executionId).Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no workflow start message for execution {executionId} on {QueueNames.Workflows} within 10 s");
        }
    }

    public bool HasMessageFor(string executionId) => Slot(executionId).Task.IsCompleted;

    public ValueTask DisposeAsync() => _consumer?.DisposeAsync() ?? ValueTask.CompletedTask;

    private TaskCompletionSource<WorkflowStartMessage> Slot(string executionId) =>
        _byExecution.GetOrAdd(executionId, _ => new TaskCompletionSource<WorkflowStartMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
}
