using Stratus.Messaging;

namespace Stratus.Workflows.Tests.Support;

/// <summary>The in-process broker presented as one whose messages outlive a manager (as RabbitMQ's do).</summary>
internal sealed class DurableBroker(IMessageBroker inner) : IMessageBroker
{
    public bool KeepsMessagesAcrossRestarts => true;

    public Task DeclareQueueAsync(string queue, QueueOptions options, CancellationToken cancellationToken = default) =>
        inner.DeclareQueueAsync(queue, options, cancellationToken);

    public Task DeclareTemporaryQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        inner.DeclareTemporaryQueueAsync(queue, cancellationToken);

    public Task BindReplyQueueAsync(string queue, string target, CancellationToken cancellationToken = default) =>
        inner.BindReplyQueueAsync(queue, target, cancellationToken);

    public Task DeleteQueueAsync(string queue, CancellationToken cancellationToken = default) => inner.DeleteQueueAsync(queue, cancellationToken);

    public Task PublishAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        inner.PublishAsync(queue, message, cancellationToken);

    public Task DeclareExchangeAsync(string exchange, ExchangeKind kind, CancellationToken cancellationToken = default) =>
        inner.DeclareExchangeAsync(exchange, kind, cancellationToken);

    public Task BindQueueAsync(string queue, string exchange, string bindingKey, CancellationToken cancellationToken = default) =>
        inner.BindQueueAsync(queue, exchange, bindingKey, cancellationToken);

    public Task PublishToExchangeAsync(string exchange, string routingKey, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        inner.PublishToExchangeAsync(exchange, routingKey, message, cancellationToken);

    public Task<IAsyncDisposable> ConsumeAsync(
        string queue, Func<IncomingMessage, CancellationToken, Task> handler, int prefetch, CancellationToken cancellationToken = default) =>
        inner.ConsumeAsync(queue, handler, prefetch, cancellationToken);

    /// <summary>The inner broker belongs to the harness.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
