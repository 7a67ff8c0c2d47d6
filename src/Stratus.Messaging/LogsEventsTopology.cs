namespace Stratus.Messaging;

/// <summary>
/// Cloudify's events and logs path over the broker (the amqp-postgres service): events go to the topic exchange
/// <c>cloudify-events-topic</c> with routing key <c>events</c>, logs to the fanout exchange <c>cloudify-logs</c>; one
/// durable queue <c>cloudify-logs-events</c> is bound to both (events with <c>events.#</c>) and consumed by every
/// manager. Hooks (<c>events.hooks</c>) reach the queue too and are acked unread. Producers and the consumer both
/// declare it, so whoever comes first creates it and nothing published before a manager started is unroutable.
/// </summary>
public static class LogsEventsTopology
{
    public const string Queue = "cloudify-logs-events";

    public const string LogsExchange = "cloudify-logs";

    public const string EventsExchange = "cloudify-events-topic";

    /// <summary>The binding of the queue on the events exchange.</summary>
    public const string EventsBinding = "events.#";

    /// <summary>The routing key events are published with.</summary>
    public const string EventsRoutingKey = "events";

    /// <summary>Execution-state hooks share the events exchange; the events consumer acks them unread.</summary>
    public const string HooksRoutingKey = "events.hooks";

    /// <summary>
    /// A message is dead-lettered only after this many deliveries: a database outage never returns messages (the
    /// consumer holds them unacked), so only a manager dying over and over with the same messages in hand counts.
    /// </summary>
    public static QueueOptions QueueOptions { get; } = new() { MaxDeliveries = 100 };

    /// <summary>Declares both exchanges, the queue and its two bindings (idempotent).</summary>
    public static async Task DeclareAsync(IMessageBroker broker, CancellationToken cancellationToken = default)
    {
        await DeclareExchangesAsync(broker, cancellationToken);
        await broker.DeclareQueueAsync(Queue, QueueOptions, cancellationToken);
        await broker.BindQueueAsync(Queue, LogsExchange, "", cancellationToken);
        await broker.BindQueueAsync(Queue, EventsExchange, EventsBinding, cancellationToken);
    }

    /// <summary>
    /// Declares only the two exchanges (idempotent): what an agent connected as its own broker user may do, since the
    /// queue (declared by every manager) is outside its permissions.
    /// </summary>
    public static async Task DeclareExchangesAsync(IMessageBroker broker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        await broker.DeclareExchangeAsync(LogsExchange, ExchangeKind.Fanout, cancellationToken);
        await broker.DeclareExchangeAsync(EventsExchange, ExchangeKind.Topic, cancellationToken);
    }
}
