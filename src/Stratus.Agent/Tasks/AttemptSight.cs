namespace Stratus.Agent.Tasks;

/// <summary>How a delivered attempt stands in this agent's <see cref="AttemptMemory"/>.</summary>
internal enum AttemptSight
{
    /// <summary>Not seen before: this delivery claims and runs it.</summary>
    New,

    /// <summary>Another delivery of it is being claimed or run here: a copy waits for its outcome.</summary>
    InFlight,

    /// <summary>It ran here and ended: its reply is sent again.</summary>
    Finished,
}
