namespace Stratus.Messaging;

/// <summary>
/// A message transport with at-least-once delivery: a message stays owned by the broker until its consumer acks it;
/// a nack (or a consumer that goes away) redelivers it, and after <see cref="QueueOptions.MaxDeliveries"/> attempts it
/// moves to the queue's dead-letter queue (<c>&lt;queue&gt;.dead-letter</c>). The in-process broker and RabbitMQ
/// implement it and pass one conformance suite. Consumers must be idempotent: a message can arrive twice.
/// </summary>
public interface IMessageBroker : IAsyncDisposable
{
    /// <summary>
    /// True when messages outlive the process that published or received them (a broker server shared by managers):
    /// an operation sent before a manager died is still delivered, and its reply still arrives, so a resumed run waits
    /// for it instead of sending it again. False for the in-process broker, whose messages die with the process.
    /// </summary>
    bool KeepsMessagesAcrossRestarts => false;

    /// <summary>Declares a durable queue (idempotent).</summary>
    Task DeclareQueueAsync(string queue, QueueOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Declares a queue for one request's reply (Cloudify's temporary exclusive response queue): private to this
    /// broker client, not durable, without a dead-letter queue, and removed when its last consumer is cancelled
    /// (RabbitMQ: an exclusive auto-delete classic queue, gone with the connection too) or by
    /// <see cref="DeleteQueueAsync"/>.
    /// </summary>
    Task DeclareTemporaryQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lets the consumers of <paramref name="target"/> reply to <paramref name="queue"/> as Cloudify's agents do: the
    /// target's direct exchange <paramref name="target"/> is declared when missing and the queue bound to it with its own
    /// name as key, so <c>PublishToExchangeAsync(target, queue, ...)</c> reaches it (as Cloudify's dispatcher binds
    /// <c>execution_responses_&lt;id&gt;</c>). A restricted agent needs write access to its own exchange only.
    /// Idempotent; the queue must exist, and deleting it removes the binding.
    /// </summary>
    Task BindReplyQueueAsync(string queue, string target, CancellationToken cancellationToken = default);

    /// <summary>Deletes a queue and its messages (idempotent).</summary>
    Task DeleteQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Publishes to a declared queue; completes once the broker holds the message.</summary>
    Task PublishAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Declares a durable exchange of <paramref name="kind"/> (idempotent; another kind for an existing name is refused).</summary>
    Task DeclareExchangeAsync(string exchange, ExchangeKind kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds a declared queue to a declared exchange with <paramref name="bindingKey"/> (a pattern for topic exchanges,
    /// ignored by fanout ones); idempotent. Deleting the queue removes its bindings.
    /// </summary>
    Task BindQueueAsync(string queue, string exchange, string bindingKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes through an exchange to every queue its bindings select for <paramref name="routingKey"/>; completes
    /// once the broker holds the message in each. An undeclared exchange, or one that routes the message nowhere,
    /// throws <see cref="QueueNotFoundException"/> (nothing is silently dropped).
    /// </summary>
    Task PublishToExchangeAsync(string exchange, string routingKey, OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts consuming. The handler gets each message and must call <see cref="IncomingMessage.AckAsync"/> or
    /// <see cref="IncomingMessage.NackAsync"/>; a handler that throws counts as a nack with requeue.
    /// At most <paramref name="prefetch"/> messages are in flight to this consumer, and its handler may run for all of
    /// them at once. Disposing the consumer cancels the handlers' token, waits for them, and redelivers what is unacked.
    /// Publishing to or consuming from an undeclared queue throws <see cref="QueueNotFoundException"/>.
    /// </summary>
    Task<IAsyncDisposable> ConsumeAsync(
        string queue,
        Func<IncomingMessage, CancellationToken, Task> handler,
        int prefetch,
        CancellationToken cancellationToken = default);
}
