namespace Stratus.Messaging;

public sealed record OutgoingMessage
{
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Correlates a reply with its request (Cloudify: the task id).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The queue a consumer should send its reply to.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Deduplication key, unique per logical message (e.g. the operation id).</summary>
    public string? MessageId { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How long the message may wait for a consumer; past it the broker drops it (dead-letters it where the queue
    /// has a dead-letter queue) instead of delivering it. Null: no limit.
    /// </summary>
    public TimeSpan? Expiration { get; init; }
}
