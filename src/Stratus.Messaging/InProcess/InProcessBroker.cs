using System.Collections.Concurrent;

namespace Stratus.Messaging.InProcess;

/// <summary>
/// The embedded transport: durable-in-memory queues with explicit declaration, per-consumer prefetch, ack/nack,
/// redelivery of unacked messages, dead-lettering after <see cref="QueueOptions.MaxDeliveries"/>, and round-robin
/// between competing consumers, exchanges (direct, fanout, topic) with their bindings, message expiration and
/// temporary reply queues. "Durable" means for the life of the process: nothing survives a restart.
/// </summary>
public sealed class InProcessBroker(TimeProvider? timeProvider = null) : IMessageBroker
{
    private readonly ConcurrentDictionary<string, InMemoryQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InMemoryExchange> _exchanges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<InMemoryConsumer, byte> _consumers = new();
    private readonly Lock _declareGate = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private long _sequence;
    private int _disposed;

    public Task DeclareQueueAsync(string queue, QueueOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDeliveries, 1);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        lock (_declareGate)
        {
            if (_queues.ContainsKey(queue))
            {
                return Task.CompletedTask;
            }

            InMemoryQueue? deadLetter = null;
            if (DeadLetter.HasDeadLetterQueue(queue))
            {
                var deadLetterName = DeadLetter.QueueFor(queue);
                deadLetter = _queues.GetOrAdd(
                    deadLetterName,
                    name => new InMemoryQueue(name, QueueOptions.Default, deadLetter: null, _time));
            }

            _queues[queue] = new InMemoryQueue(queue, options, deadLetter, _time);
        }

        return Task.CompletedTask;
    }

    public Task DeclareTemporaryQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        lock (_declareGate)
        {
            _queues.TryAdd(queue, new InMemoryQueue(queue, QueueOptions.Default, deadLetter: null, _time, RemoveAbandoned));
        }

        return Task.CompletedTask;
    }

    /// <summary>The target's direct exchange, declared when missing, and the queue bound to it by its own name.</summary>
    public async Task BindReplyQueueAsync(string queue, string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        await DeclareExchangeAsync(target, ExchangeKind.Direct, cancellationToken);
        await BindQueueAsync(queue, target, queue, cancellationToken);
    }

    public async Task DeleteQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        InMemoryQueue? removed;
        lock (_declareGate)
        {
            if (!_queues.TryRemove(queue, out removed))
            {
                return;
            }

            Unbind(queue);
        }

        foreach (var consumer in removed.Delete())
        {
            await consumer.DisposeAsync();
        }
    }

    public Task PublishAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        if (!_queues.TryGetValue(queue, out var target))
        {
            throw QueueNotFoundException.ForQueue(queue);
        }

        target.Enqueue(Envelope(message, "", queue));
        return Task.CompletedTask;
    }

    public Task DeclareExchangeAsync(string exchange, ExchangeKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchange);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        var declared = _exchanges.GetOrAdd(exchange, name => new InMemoryExchange(name, kind));
        if (declared.Kind != kind)
        {
            throw new InvalidOperationException($"Exchange '{exchange}' already exists as {declared.Kind}, not {kind}.");
        }

        return Task.CompletedTask;
    }

    public Task BindQueueAsync(string queue, string exchange, string bindingKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentException.ThrowIfNullOrWhiteSpace(exchange);
        ArgumentNullException.ThrowIfNull(bindingKey);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        if (!_exchanges.TryGetValue(exchange, out var target))
        {
            throw QueueNotFoundException.ForExchange(exchange);
        }

        lock (_declareGate)
        {
            if (!_queues.ContainsKey(queue))
            {
                throw QueueNotFoundException.ForQueue(queue);
            }

            target.Bind(queue, bindingKey);
        }

        return Task.CompletedTask;
    }

    public Task PublishToExchangeAsync(string exchange, string routingKey, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchange);
        ArgumentNullException.ThrowIfNull(routingKey);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        if (!_exchanges.TryGetValue(exchange, out var source))
        {
            throw QueueNotFoundException.ForExchange(exchange);
        }

        var targets = source.Route(routingKey)
            .Select(name => _queues.TryGetValue(name, out var queue) ? queue : null)
            .OfType<InMemoryQueue>()
            .ToList();
        if (targets.Count == 0)
        {
            throw QueueNotFoundException.Unroutable(exchange, routingKey);
        }

        foreach (var target in targets)
        {
            target.Enqueue(Envelope(message, exchange, routingKey));
        }

        return Task.CompletedTask;
    }

    /// <remarks>
    /// Handlers of one consumer run concurrently, up to <paramref name="prefetch"/> at a time. Disposing the returned
    /// consumer cancels the handlers' token, waits for them, then redelivers what they left unacked; so never dispose
    /// a consumer from inside its own handler.
    /// </remarks>
    public async Task<IAsyncDisposable> ConsumeAsync(
        string queue,
        Func<IncomingMessage, CancellationToken, Task> handler,
        int prefetch,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        if (!_queues.TryGetValue(queue, out var source))
        {
            throw QueueNotFoundException.ForQueue(queue);
        }

        var consumer = new InMemoryConsumer(source, handler, prefetch, c => _consumers.TryRemove(c, out _));
        _consumers.TryAdd(consumer, 0);
        consumer.Start();
        if (!source.TryAttach(consumer))
        {
            await consumer.DisposeAsync();
            throw QueueNotFoundException.ForQueue(queue);
        }

        return consumer;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var consumer in _consumers.Keys)
        {
            await consumer.DisposeAsync();
        }

        _queues.Clear();
        _exchanges.Clear();
    }

    /// <summary>Messages waiting for a consumer (not counting those delivered and unacked); for diagnostics and tests.</summary>
    public int GetReadyCount(string queue) =>
        _queues.TryGetValue(queue, out var found) ? found.ReadyCount : throw QueueNotFoundException.ForQueue(queue);

    private void RemoveAbandoned(InMemoryQueue queue)
    {
        lock (_declareGate)
        {
            // A queue of the same name declared since keeps its bindings.
            if (_queues.TryGetValue(queue.Name, out var current) && ReferenceEquals(current, queue))
            {
                _queues.TryRemove(queue.Name, out _);
                Unbind(queue.Name);
            }
        }

        // Its consumers already detached; Delete only drops what is left.
        queue.Delete();
    }

    /// <summary>
    /// Bindings name queues, so they go with the queue, under the declaration gate: a queue declared again under the
    /// same name starts unbound, and a binding made to it is never removed on behalf of its predecessor.
    /// </summary>
    private void Unbind(string queue)
    {
        foreach (var exchange in _exchanges.Values)
        {
            exchange.Unbind(queue);
        }
    }

    /// <summary>The copies make the stored message independent of buffers the publisher may reuse.</summary>
    private InMemoryEnvelope Envelope(OutgoingMessage message, string exchange, string routingKey) => new(
        Interlocked.Increment(ref _sequence),
        message.Body.ToArray(),
        message.CorrelationId,
        message.ReplyTo,
        message.MessageId,
        new Dictionary<string, string>(message.Headers, StringComparer.Ordinal),
        DeliveryCount: 1,
        message.Expiration is { } expiration ? _time.GetUtcNow() + expiration : null,
        exchange,
        routingKey);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}
