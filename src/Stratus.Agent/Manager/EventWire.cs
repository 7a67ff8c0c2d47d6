namespace Stratus.Agent.Manager;

/// <summary>
/// Whether <see cref="BrokerEventPublisher"/> may send a batch of lines as one message (a JSON array) or must send
/// one message per line as Cloudify's agents do: a manager older than batches shares the queue and drops an array
/// unread. Starts at one line per message, the shape every manager reads; only a standalone agent on the broker
/// learns otherwise (<see cref="Standalone.EventWireWatch"/> reads <c>GET /managers</c>), so the publisher's hot path
/// is one volatile read per batch, never a REST call.
/// </summary>
internal sealed class EventWire
{
    private int _batches;

    /// <summary>True only while every live manager was last seen reading batches.</summary>
    public bool PublishBatches => Volatile.Read(ref _batches) == 1;

    /// <summary>Sets the wire; true when it changed (the caller logs changes only).</summary>
    public bool TrySet(bool publishBatches) => Interlocked.Exchange(ref _batches, publishBatches ? 1 : 0) != (publishBatches ? 1 : 0);
}
