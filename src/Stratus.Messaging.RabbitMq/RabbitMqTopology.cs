namespace Stratus.Messaging.RabbitMq;

/// <summary>
/// Where a queue of <see cref="IMessageBroker"/> lives in RabbitMQ. Cloudify's convention is kept where it applies: a
/// queue <c>X_R</c> with R one of Cloudify's routing keys (<c>workflow</c>, <c>operation</c>, <c>service</c>) is bound
/// to the durable direct exchange <c>X</c> with routing key R, and publishing goes through that exchange (so
/// <c>cloudify.management_workflow</c> is fed by exchange <c>cloudify.management</c>, key <c>workflow</c>). Other
/// queues (replies such as <c>execution_responses_&lt;id&gt;</c>, dead-letter queues) use the default exchange; a reply
/// queue is also bound to each target's exchange by its own name, which is how agents answer (see
/// <see cref="IMessageBroker.BindReplyQueueAsync"/>).
/// Every queue is a durable quorum queue: it counts deliveries (<c>x-delivery-count</c>), and after
/// <see cref="QueueOptions.MaxDeliveries"/> deliveries, on a nack without requeue, or past its expiration, RabbitMQ
/// moves the message to <c>&lt;queue&gt;.dead-letter</c>: through the queue's own exchange <c>X</c> (where the
/// dead-letter queue is bound by its name) for <c>X_R</c> queues, so an agent restricted to its exchange and queues may
/// declare them (RabbitMQ requires write access to the dead-letter exchange), through the default exchange otherwise.
/// The exception is an agent's service queue <c>X_service</c>: it carries only pings, which expire unanswered, so it
/// is a plain durable classic queue without delivery limit or dead-letter queue, as Cloudify declares it. (A quorum
/// queue is a replicated log with its own processes: at 2,000 agents, quorum service queues and their dead-letter
/// queues doubled the broker's quorum queues to 8,000 and starved it on a small box.)
/// </summary>
internal static class RabbitMqTopology
{
    public const string DeliveryCountHeader = "x-delivery-count";

    private static readonly string[] CloudifyRoutingKeys = ["workflow", "operation", "service"];

    public static (string Exchange, string RoutingKey) RouteFor(string queue)
    {
        if (!DeadLetter.IsDeadLetterQueue(queue))
        {
            foreach (var key in CloudifyRoutingKeys)
            {
                var suffix = "_" + key;
                if (queue.Length > suffix.Length && queue.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return (queue[..^suffix.Length], key);
                }
            }
        }

        return ("", queue);
    }

    public static Dictionary<string, object?> QueueArguments(string queue, QueueOptions options)
    {
        if (DeadLetter.IsServiceQueue(queue))
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-queue-type"] = "classic" };
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-queue-type"] = "quorum" };
        if (!DeadLetter.IsDeadLetterQueue(queue))
        {
            // A quorum queue dead-letters once a message was returned more than x-delivery-limit times.
            arguments["x-delivery-limit"] = options.MaxDeliveries - 1;
            arguments["x-dead-letter-exchange"] = RouteFor(queue).Exchange;
            arguments["x-dead-letter-routing-key"] = DeadLetter.QueueFor(queue);
        }

        return arguments;
    }

    /// <summary>A reply queue private to one connection (Cloudify's temporary response queue): classic, exclusive, auto-delete.</summary>
    public static Dictionary<string, object?> TemporaryQueueArguments() =>
        new(StringComparer.Ordinal) { ["x-queue-type"] = "classic" };

    /// <summary>RabbitMQ's per-message TTL: whole milliseconds as a string.</summary>
    public static string ExpirationText(TimeSpan expiration) =>
        Math.Max(0L, (long)Math.Ceiling(expiration.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
