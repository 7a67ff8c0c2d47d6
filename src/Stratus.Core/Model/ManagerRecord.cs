namespace Stratus.Core.Model;

/// <summary>A manager sharing the database (Cloudify's <c>managers</c> row); <see cref="LastSeen"/> is its heartbeat.</summary>
public sealed record ManagerRecord
{
    /// <summary>Assigned by the store.</summary>
    public long Id { get; init; }

    /// <summary>The manager's id: unique, the owner named on its execution leases.</summary>
    public required string Name { get; init; }

    public required string Hostname { get; init; }

    public required string PrivateIp { get; init; }

    public required string PublicIp { get; init; }

    public required string Version { get; init; }

    public required string Edition { get; init; }

    public required string Distribution { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>Seconds between heartbeats.</summary>
    public int StatusReportFrequency { get; init; }

    /// <summary>
    /// The beat's promise: the manager's next beat comes by then (its interval plus how long a beat may take). A beat
    /// that arrives later, or a restart, starts a new chain (<see cref="ContactSince"/>). Null: no promise.
    /// </summary>
    public DateTimeOffset? NextBeatBy { get; init; }

    /// <summary>
    /// Set by the store: when this manager's unbroken chain of beats began, i.e. since when it has been in contact
    /// with the database without a gap (<see cref="ClaimHolderCheck"/>).
    /// </summary>
    public DateTimeOffset? ContactSince { get; init; }

    /// <summary>
    /// Which bodies of the events queue this manager reads: 0, one JSON object per message (Cloudify's shape, and what a
    /// row written by a manager older than this field reads back as); 1, also a JSON array of them (a batch of lines).
    /// Agents publish batches only while every live manager reads them. A level is stored for the run that wrote it
    /// (<see cref="StartedAt"/>): a row rewritten by a run that did not name it reads back as 0.
    /// </summary>
    public int EventWire { get; init; }
}
