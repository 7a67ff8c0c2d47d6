namespace Stratus.Messaging;

/// <summary>Dead-letter naming shared by every transport.</summary>
public static class DeadLetter
{
    public const string Suffix = ".dead-letter";

    /// <summary>The queue a message of <paramref name="queue"/> moves to once it cannot be delivered.</summary>
    public static string QueueFor(string queue) => queue + Suffix;

    public static bool IsDeadLetterQueue(string queue) => queue.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>
    /// An agent's service queue <c>X_service</c>: it carries only pings and kill requests, so an expired or refused one
    /// is dropped, as in Cloudify, where the service queue has no dead-letter queue.
    /// </summary>
    public static bool IsServiceQueue(string queue) =>
        queue.Length > ServiceSuffix.Length && queue.EndsWith(ServiceSuffix, StringComparison.Ordinal);

    /// <summary>False for dead-letter queues and service queues (<see cref="IsServiceQueue"/>).</summary>
    public static bool HasDeadLetterQueue(string queue) => !IsDeadLetterQueue(queue) && !IsServiceQueue(queue);

    private const string ServiceSuffix = "_service";
}
