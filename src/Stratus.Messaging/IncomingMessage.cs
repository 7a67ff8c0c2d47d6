namespace Stratus.Messaging;

/// <summary>A delivered message; the broker keeps it until it is acked.</summary>
public abstract class IncomingMessage
{
    public required ReadOnlyMemory<byte> Body { get; init; }

    public string? CorrelationId { get; init; }

    public string? ReplyTo { get; init; }

    public string? MessageId { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>1 on the first delivery.</summary>
    public int DeliveryCount { get; init; } = 1;

    public abstract Task AckAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns the message: redelivered when <paramref name="requeue"/>, else dead-lettered.</summary>
    public abstract Task NackAsync(bool requeue, CancellationToken cancellationToken = default);
}
