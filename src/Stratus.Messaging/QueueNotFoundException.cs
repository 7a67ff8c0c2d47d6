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

    public static QueueNotFoundException ForExchange(string exchange) =>
        new($"Exchange '{exchange}' is not declared; declare it with DeclareExchangeAsync first.");

    public static QueueNotFoundException Unroutable(string exchange, string routingKey) =>
        new($"Exchange '{exchange}' routes nothing for key '{routingKey}': no queue is bound to it with a matching key.");

    public static QueueNotFoundException ForQueue(string queue) =>
        new($"Queue '{queue}' is not declared; declare it with DeclareQueueAsync first.");
}
