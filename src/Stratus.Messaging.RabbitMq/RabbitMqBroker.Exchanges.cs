using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

public sealed partial class RabbitMqBroker
{
    /// <summary>Declares a durable, non-auto-delete exchange (as Cloudify's are); another kind for the name is refused.</summary>
    public Task DeclareExchangeAsync(string exchange, ExchangeKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchange);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        return RunAsync(
            exchange,
            token => WithChannelAsync(
                async channel =>
                {
                    await channel.ExchangeDeclareAsync(
                        exchange, TypeOf(kind), durable: true, autoDelete: false, arguments: null, cancellationToken: token);
                    _knownExchanges.TryAdd(exchange, 0);
                },
                token),
            cancellationToken);
    }

    public Task BindQueueAsync(string queue, string exchange, string bindingKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentException.ThrowIfNullOrWhiteSpace(exchange);
        ArgumentNullException.ThrowIfNull(bindingKey);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        return RunAsync(
            queue,
            async token =>
            {
                // A missing exchange and a missing queue both answer 404; the exchange is checked first to name it.
                await WithChannelAsync(
                    async channel =>
                    {
                        try
                        {
                            await channel.ExchangeDeclarePassiveAsync(exchange, token);
                        }
                        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
                        {
                            throw QueueNotFoundException.ForExchange(exchange);
                        }
                    },
                    token);
                await WithChannelAsync(
                    channel => channel.QueueBindAsync(queue, exchange, bindingKey, arguments: null, cancellationToken: token),
                    token);
            },
            cancellationToken);
    }

    /// <summary>
    /// Publishes a persistent message through <paramref name="exchange"/>, mandatory and confirmed like
    /// <see cref="PublishAsync"/>: a message no binding routes comes back as <see cref="QueueNotFoundException"/>.
    /// </summary>
    public Task PublishToExchangeAsync(string exchange, string routingKey, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchange);
        ArgumentNullException.ThrowIfNull(routingKey);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        var properties = RabbitMqHeaders.ToProperties(message);
        return RunAsync(
            exchange,
            async token =>
            {
                try
                {
                    await EnsureExchangeAsync(exchange, token);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
                {
                    throw QueueNotFoundException.ForExchange(exchange);
                }

                var channel = await GetPublisherAsync(token);
                try
                {
                    await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, message.Body, token);
                }
                catch (PublishReturnException)
                {
                    throw QueueNotFoundException.Unroutable(exchange, routingKey);
                }
                catch (PublishException e)
                {
                    throw new MessageNotConfirmedException(
                        $"RabbitMQ at {Endpoint} refused (nacked) the message for exchange '{exchange}'.", e);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
                {
                    _knownExchanges.TryRemove(exchange, out _);
                    throw new AlreadyClosedException(e.ShutdownReason);
                }
            },
            cancellationToken);
    }

    private static string TypeOf(ExchangeKind kind) => kind switch
    {
        ExchangeKind.Fanout => ExchangeType.Fanout,
        ExchangeKind.Topic => ExchangeType.Topic,
        _ => ExchangeType.Direct,
    };
}
