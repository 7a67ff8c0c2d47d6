namespace Stratus.Messaging;

public sealed record QueueOptions
{
    public static QueueOptions Default { get; } = new();

    /// <summary>Deliveries before a message is dead-lettered.</summary>
    public int MaxDeliveries { get; init; } = 5;
}
