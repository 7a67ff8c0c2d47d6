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

    /// <summary>
    /// Acks every message of <paramref name="messages"/>, as <see cref="AckAsync"/> on each would, but settles the
    /// deliveries of one consumer together where the transport can (RabbitMQ: one <c>basic.ack</c> with
    /// <c>multiple</c> up to the highest delivery tag below every one still unsettled, so a message this call does
    /// not name is never acked by it). Messages already settled are skipped.
    /// </summary>
    public static async Task AckAllAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var group in messages.GroupBy(m => m.SettlementGroup))
        {
            if (group.Key is null)
            {
                foreach (var message in group)
                {
                    await message.AckAsync(cancellationToken);
                }
            }
            else
            {
                await group.First().AckGroupAsync([.. group], cancellationToken);
            }
        }
    }

    /// <summary>What deliveries settled together share (their consumer), or null when each is settled alone.</summary>
    protected virtual object? SettlementGroup => null;

    /// <summary>Acks <paramref name="group"/>, deliveries of this one's <see cref="SettlementGroup"/>.</summary>
    protected virtual async Task AckGroupAsync(IReadOnlyList<IncomingMessage> group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var message in group)
        {
            await message.AckAsync(cancellationToken);
        }
    }
}
