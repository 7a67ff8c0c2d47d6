namespace Stratus.Messaging.InProcess;

/// <summary>One delivery of an envelope to one consumer; settling it twice is a no-op.</summary>
internal sealed class InMemoryDelivery : IncomingMessage
{
    private readonly InMemoryQueue _queue;

    public InMemoryDelivery(InMemoryQueue queue, InMemoryConsumer consumer, InMemoryEnvelope envelope)
    {
        _queue = queue;
        Consumer = consumer;
        Envelope = envelope;
    }

    public InMemoryConsumer Consumer { get; }

    public InMemoryEnvelope Envelope { get; }

    public override Task AckAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _queue.Settle(this, requeue: false, deadLetter: false);
        return Task.CompletedTask;
    }

    public override Task NackAsync(bool requeue, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _queue.Settle(this, requeue, deadLetter: !requeue);
        return Task.CompletedTask;
    }

    public static InMemoryDelivery Create(InMemoryQueue queue, InMemoryConsumer consumer, InMemoryEnvelope envelope) =>
        new(queue, consumer, envelope)
        {
            Body = envelope.Body,
            CorrelationId = envelope.CorrelationId,
            ReplyTo = envelope.ReplyTo,
            MessageId = envelope.MessageId,
            Headers = envelope.Headers,
            DeliveryCount = envelope.DeliveryCount,
            Exchange = envelope.Exchange,
            RoutingKey = envelope.RoutingKey,
        };
}
