namespace Stratus.Messaging.InProcess;

/// <summary>A message as the in-process broker stores it: an immutable copy of what was published.</summary>
internal sealed record InMemoryEnvelope(
    long Sequence,
    byte[] Body,
    string? CorrelationId,
    string? ReplyTo,
    string? MessageId,
    IReadOnlyDictionary<string, string> Headers,
    int DeliveryCount,
    DateTimeOffset? ExpiresAt = null,
    string Exchange = "",
    string RoutingKey = "");
