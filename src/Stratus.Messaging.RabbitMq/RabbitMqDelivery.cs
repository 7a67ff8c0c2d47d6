using RabbitMQ.Client;

namespace Stratus.Messaging.RabbitMq;

/// <summary>One delivery on one consumer's channel; settling it twice is a no-op.</summary>
internal sealed class RabbitMqDelivery : IncomingMessage
{
    private readonly RabbitMqConsumer _consumer;
    private int _settled;

    private RabbitMqDelivery(RabbitMqConsumer consumer, ulong deliveryTag)
    {
        _consumer = consumer;
        DeliveryTag = deliveryTag;
    }

    public ulong DeliveryTag { get; }

    public override Task AckAsync(CancellationToken cancellationToken = default) =>
        _consumer.SettleAsync(this, ack: true, requeue: false, cancellationToken);

    public override Task NackAsync(bool requeue, CancellationToken cancellationToken = default) =>
        _consumer.SettleAsync(this, ack: false, requeue, cancellationToken);

    /// <summary>True the first time only: a delivery is acked or nacked once.</summary>
    public bool TryMarkSettled() => Interlocked.Exchange(ref _settled, 1) == 0;

    /// <summary>Copies the body: the client reuses its buffer once the delivery callback returns.</summary>
    public static RabbitMqDelivery Create(
        RabbitMqConsumer consumer,
        ulong deliveryTag,
        string exchange,
        string routingKey,
        IReadOnlyBasicProperties properties,
        ReadOnlyMemory<byte> body) =>
        new(consumer, deliveryTag)
        {
            Body = body.ToArray(),
            CorrelationId = properties.CorrelationId,
            ReplyTo = properties.ReplyTo,
            MessageId = properties.MessageId,
            Headers = RabbitMqHeaders.FromProperties(properties),
            DeliveryCount = RabbitMqHeaders.DeliveryCount(properties),
            Exchange = exchange,
            RoutingKey = routingKey,
        };
}
