namespace Stratus.Messaging;

/// <summary>Dead-letter naming shared by every transport.</summary>
public static class DeadLetter
{
    public const string Suffix = ".dead-letter";

    /// <summary>The queue a message of <paramref name="queue"/> moves to once it cannot be delivered.</summary>
    public static string QueueFor(string queue) => queue + Suffix;

    public static bool IsDeadLetterQueue(string queue) => queue.EndsWith(Suffix, StringComparison.Ordinal);
}
