namespace Stratus.Messaging;

/// <summary>Thrown when publishing to, or consuming from, a queue that was never declared (or was deleted).</summary>
public sealed class QueueNotFoundException : InvalidOperationException
{
    public QueueNotFoundException()
    {
    }

    public QueueNotFoundException(string message)
        : base(message)
    {
    }

    public QueueNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static QueueNotFoundException ForQueue(string queue) =>
        new($"Queue '{queue}' is not declared; declare it with DeclareQueueAsync first.");
}
