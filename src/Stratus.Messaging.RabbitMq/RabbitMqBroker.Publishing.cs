using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

public sealed partial class RabbitMqBroker
{
    private readonly SemaphoreSlim _publisherGate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> _knownExchanges = new(StringComparer.Ordinal);
    private IChannel? _publisher;

    /// <summary>
    /// Publishes a persistent message (mandatory, so an unroutable one comes back as <see cref="QueueNotFoundException"/>)
    /// and completes once RabbitMQ confirmed it. A nack is a <see cref="MessageNotConfirmedException"/>; no confirm within
    /// <see cref="RabbitMqOptions.OperationTimeout"/> a <see cref="TimeoutException"/>. A publish cut by a dropped
    /// connection is sent again after the reconnection, so a consumer may see it twice (at-least-once).
    /// </summary>
    public Task PublishAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        var (exchange, routingKey) = RabbitMqTopology.RouteFor(queue);
        var properties = RabbitMqHeaders.ToProperties(message);
        return RunAsync(
            queue,
            async token =>
            {
                if (exchange.Length > 0)
                {
                    await EnsureExchangeAsync(exchange, token);
                }

                var channel = await GetPublisherAsync(token);
                try
                {
                    await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, message.Body, token);
                }
                catch (PublishReturnException)
                {
                    throw QueueNotFoundException.ForQueue(queue);
                }
                catch (PublishException e)
                {
                    throw new MessageNotConfirmedException(
                        $"RabbitMQ at {Endpoint} refused (nacked) the message for queue '{queue}'.", e);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
                {
                    // The exchange went away behind our back: check it again on the next attempt.
                    _knownExchanges.TryRemove(exchange, out _);
                    throw new AlreadyClosedException(e.ShutdownReason);
                }
            },
            cancellationToken);
    }

    /// <summary>Publishing to a missing exchange would close the shared publisher channel, so it is checked first.</summary>
    private async Task EnsureExchangeAsync(string exchange, CancellationToken cancellationToken)
    {
        if (_knownExchanges.ContainsKey(exchange))
        {
            return;
        }

        await WithChannelAsync(channel => channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken), cancellationToken);
        _knownExchanges.TryAdd(exchange, 0);
    }

    private async Task<IChannel> GetPublisherAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _publisher) is { IsOpen: true } open)
        {
            return open;
        }

        await _publisherGate.WaitAsync(cancellationToken);
        try
        {
            if (_publisher is { IsOpen: true } raced)
            {
                return raced;
            }

            var connection = await _connection.GetAsync(cancellationToken);
            if (_publisher is { CloseReason: { } reason })
            {
                if (!connection.IsOpen || reason.Initiator != ShutdownInitiator.Peer || reason.ReplyCode == Constants.ConnectionForced)
                {
                    // Closed with the connection: the recovery reopens it, and the caller waits for that.
                    throw new AlreadyClosedException(reason);
                }

                // Closed by RabbitMQ over a channel error while the connection lives: replace it.
                await DisposePublisherAsync();
            }

            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            Volatile.Write(ref _publisher, channel);
            return channel;
        }
        finally
        {
            _publisherGate.Release();
        }
    }

    private async Task DisposePublisherAsync()
    {
        var publisher = Interlocked.Exchange(ref _publisher, null);
        if (publisher is null)
        {
            return;
        }

        try
        {
            if (publisher.IsOpen)
            {
                await publisher.CloseAsync(CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationInterruptedException or IOException or TimeoutException)
        {
            // Already closed.
        }

        publisher.Dispose();
    }
}
