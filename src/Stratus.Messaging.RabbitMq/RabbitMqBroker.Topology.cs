using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

public sealed partial class RabbitMqBroker
{
    /// <summary>
    /// Declares the queue, its dead-letter queue and, for Cloudify-named queues, the direct exchange and binding
    /// that feed it (see <see cref="RabbitMqTopology"/>). Declaring again with the same options is a no-op; RabbitMQ
    /// refuses other options for an existing queue (<see cref="InvalidOperationException"/>).
    /// </summary>
    public Task DeclareQueueAsync(string queue, QueueOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDeliveries, 1);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        return DeadLetter.IsServiceQueue(queue)
            ? DeclareServiceQueueAsync(queue, options, cancellationToken)
            : DeclareQueueCoreAsync(queue, options, cancellationToken);
    }

    private Task DeclareQueueCoreAsync(string queue, QueueOptions options, CancellationToken cancellationToken) =>
        RunAsync(
            queue,
            token => WithChannelAsync(
                async channel =>
                {
                    var (exchange, routingKey) = RabbitMqTopology.RouteFor(queue);
                    if (exchange.Length > 0)
                    {
                        await DeclareExchangeAsync(channel, exchange, token);
                    }

                    if (DeadLetter.HasDeadLetterQueue(queue))
                    {
                        var deadLetter = DeadLetter.QueueFor(queue);
                        await DeclareDurableAsync(channel, deadLetter, RabbitMqTopology.QueueArguments(deadLetter, options), token);
                        if (exchange.Length > 0)
                        {
                            await channel.QueueBindAsync(deadLetter, exchange, deadLetter, arguments: null, cancellationToken: token);
                        }
                    }

                    await DeclareDurableAsync(channel, queue, RabbitMqTopology.QueueArguments(queue, options), token);
                    if (exchange.Length > 0)
                    {
                        await channel.QueueBindAsync(queue, exchange, routingKey, arguments: null, cancellationToken: token);
                    }
                },
                token),
            cancellationToken);

    /// <summary>
    /// Declares an agent's service queue, replacing one left by an older Stratus (a quorum queue with a dead-letter
    /// queue, which RabbitMQ refuses to redeclare as classic): it holds only pings, which expire anyway.
    /// </summary>
    private async Task DeclareServiceQueueAsync(string queue, QueueOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await DeclareQueueCoreAsync(queue, options, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            await DeleteQueueAsync(queue, cancellationToken);
            await DeclareQueueCoreAsync(queue, options, cancellationToken);
        }
    }

    /// <summary>An exclusive auto-delete classic queue on this broker's connection (see <see cref="IMessageBroker.DeclareTemporaryQueueAsync"/>).</summary>
    public Task DeclareTemporaryQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return RunAsync(
            queue,
            token => WithChannelAsync(
                channel => channel.QueueDeclareAsync(
                    queue, durable: false, exclusive: true, autoDelete: true, RabbitMqTopology.TemporaryQueueArguments(), cancellationToken: token),
                token),
            cancellationToken);
    }

    /// <summary>Binds the queue to the target's direct exchange (declared when missing) with the queue's name as routing key.</summary>
    public Task BindReplyQueueAsync(string queue, string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return RunAsync(
            queue,
            token => WithChannelAsync(
                async channel =>
                {
                    await DeclareExchangeAsync(channel, target, token);
                    await channel.QueueBindAsync(queue, target, queue, arguments: null, cancellationToken: token);
                },
                token),
            cancellationToken);
    }

    /// <summary>
    /// Deletes the queue and its messages (idempotent); RabbitMQ cancels its consumers. Its dead-letter queue goes
    /// too when it is empty and nobody consumes it (else it stays for inspection); the exchange stays (other queues
    /// may share it).
    /// </summary>
    public async Task DeleteQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        await RunAsync(
            queue,
            token => WithChannelAsync(
                channel => channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: token),
                token),
            cancellationToken);

        if (DeadLetter.IsDeadLetterQueue(queue))
        {
            return;
        }

        // Quorum queues have no if-empty/if-unused delete, so the dead-letter queue is inspected first; the queue that
        // fed it is gone, so nothing new arrives in between.
        var deadLetter = DeadLetter.QueueFor(queue);
        await RunAsync(
            deadLetter,
            token => WithChannelAsync(
                async channel =>
                {
                    QueueDeclareOk state;
                    try
                    {
                        state = await channel.QueueDeclarePassiveAsync(deadLetter, token);
                    }
                    catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
                    {
                        return;
                    }

                    if (state.MessageCount == 0 && state.ConsumerCount == 0)
                    {
                        await channel.QueueDeleteAsync(deadLetter, ifUnused: false, ifEmpty: false, cancellationToken: token);
                    }
                },
                token),
            cancellationToken);
    }

    private async Task DeclareExchangeAsync(IChannel channel, string exchange, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Direct, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        _knownExchanges.TryAdd(exchange, 0);
    }

    private static async Task DeclareDurableAsync(
        IChannel channel, string queue, IDictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        await channel.QueueDeclareAsync(
            queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);

    /// <summary>
    /// Runs topology calls on a channel of the pool (see <see cref="TopologyChannelPool"/>): a refusal that makes
    /// RabbitMQ close the channel reaches the caller unchanged and the channel is replaced, harming nobody else.
    /// </summary>
    private Task WithChannelAsync(Func<IChannel, Task> call, CancellationToken cancellationToken) =>
        _topology.RunAsync(call, cancellationToken);
}
