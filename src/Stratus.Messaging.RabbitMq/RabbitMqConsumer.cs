using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

/// <summary>
/// A consumer on its own channel with manual acks and <c>basic.qos</c> prefetch: RabbitMQ sends at most prefetch
/// unacked deliveries, and each runs its handler on its own task. The channel is an auto-recovering one, so after a
/// reconnection the same consumer is registered again and deliveries resume; what was unacked when the connection
/// dropped is redelivered by RabbitMQ.
/// </summary>
internal sealed class RabbitMqConsumer : AsyncDefaultBasicConsumer, IAsyncDisposable
{
    private readonly string _queue;
    private readonly Func<IncomingMessage, CancellationToken, Task> _handler;
    private readonly ILogger _logger;
    private readonly Action<RabbitMqConsumer> _onDisposed;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _settleGate = new(1, 1);
    private readonly Lock _runningGate = new();
    private readonly HashSet<Task> _running = [];
    private string? _consumerTag;
    private bool _stopped;
    private int _disposed;

    public RabbitMqConsumer(
        IChannel channel,
        string queue,
        Func<IncomingMessage, CancellationToken, Task> handler,
        ILogger logger,
        Action<RabbitMqConsumer> onDisposed)
        : base(channel)
    {
        _queue = queue;
        _handler = handler;
        _logger = logger;
        _onDisposed = onDisposed;
    }

    public async Task StartAsync(ushort prefetch, CancellationToken cancellationToken)
    {
        await Channel.BasicQosAsync(0, prefetch, global: false, cancellationToken);
        _consumerTag = await Channel.BasicConsumeAsync(
            _queue, autoAck: false, consumerTag: "", noLocal: false, exclusive: false, arguments: null, this, cancellationToken);
    }

    public override Task HandleBasicDeliverAsync(
        string consumerTag,
        ulong deliveryTag,
        bool redelivered,
        string exchange,
        string routingKey,
        IReadOnlyBasicProperties properties,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        var delivery = RabbitMqDelivery.Create(this, deliveryTag, exchange, routingKey, properties, body);
        lock (_runningGate)
        {
            if (_stopped)
            {
                // checkpoint: left unacked; closing the channel returns it to the queue.
                return Task.CompletedTask;
            }

            var run = Task.Run(() => RunHandlerAsync(delivery), CancellationToken.None);
            _running.Add(run);
            _ = run.ContinueWith(
                completed =>
                {
                    lock (_runningGate)
                    {
                        _running.Remove(completed);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    public async Task SettleAsync(RabbitMqDelivery delivery, bool ack, bool requeue, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!delivery.TryMarkSettled())
        {
            return;
        }

        await _settleGate.WaitAsync(CancellationToken.None);
        try
        {
            if (ack)
            {
                await Channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
            }
            else
            {
                // With requeue the quorum queue counts the delivery and redelivers it; without, or past the
                // queue's delivery limit, it dead-letters it.
                await Channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationInterruptedException or IOException)
        {
            // checkpoint: the channel is gone, so RabbitMQ already returned this delivery to the queue.
            Log.SettleLost(_logger, _queue, e.Message);
        }
        finally
        {
            _settleGate.Release();
        }
    }

    public override async Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        // RabbitMQ cancels a consumer whose queue was deleted: its handlers see their token cancelled.
        Log.ConsumerCancelledByBroker(_logger, _queue);
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync();
        }

        await base.HandleBasicCancelAsync(consumerTag, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Task[] running;
        lock (_runningGate)
        {
            _stopped = true;
            running = [.. _running];
        }

        await _stopping.CancelAsync();
        if (_consumerTag is { } tag && Channel.IsOpen)
        {
            try
            {
                await Channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None);
            }
            catch (Exception e) when (e is OperationInterruptedException or IOException or TimeoutException)
            {
                // The channel is going or gone; closing it below ends the consumer either way.
            }
        }

        // Handlers see the cancellation; whatever they settle before returning is not redelivered.
        await Task.WhenAll(running);

        // checkpoint: closing the channel returns every delivery still unacked to the queue for redelivery.
        try
        {
            await Channel.CloseAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is OperationInterruptedException or IOException or TimeoutException)
        {
            // Already closed with the connection.
        }

        Channel.Dispose();
        _stopping.Dispose();
        _onDisposed(this);
    }

    private async Task RunHandlerAsync(RabbitMqDelivery delivery)
    {
        var token = _stopping.Token;
        try
        {
            await _handler(delivery, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The consumer is stopping; an unsettled delivery goes back when the channel closes.
        }
#pragma warning disable CA1031 // A handler's failure must never take the consumer down; it counts as a nack.
        catch (Exception)
#pragma warning restore CA1031
        {
            await SettleAsync(delivery, ack: false, requeue: true, CancellationToken.None);
        }
    }
}
