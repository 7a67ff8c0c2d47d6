namespace Stratus.Messaging;

/// <summary>A delivered message; the broker keeps it until it is acked.</summary>
public abstract class IncomingMessage
{
    public required ReadOnlyMemory<byte> Body { get; init; }

    public string? CorrelationId { get; init; }

    public string? ReplyTo { get; init; }

    public string? MessageId { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The exchange the message was published through; empty when it was published to the queue itself.</summary>
    public string Exchange { get; init; } = "";

    /// <summary>The routing key it was published with (the queue's name when published to the queue itself).</summary>
    public string RoutingKey { get; init; } = "";

    /// <summary>1 on the first delivery.</summary>
    public int DeliveryCount { get; init; } = 1;

    public abstract Task AckAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns the message: redelivered when <paramref name="requeue"/>, else dead-lettered.</summary>
    public abstract Task NackAsync(bool requeue, CancellationToken cancellationToken = default);
}
