namespace Stratus.Core.Model;

/// <summary>
/// When an attempt claimed by a manager's own agent counts as orphaned, judged by one observing manager at
/// <see cref="Now"/>: the holder's manager has no row seen within <see cref="Timeout"/> that started before the claim,
/// AND the observer's own heartbeats show unbroken contact with the database over that whole window (its row's chain of
/// beats began at or before <see cref="HoldersSeenSince"/>, each beat came before the previous one's promised next beat,
/// and the last promise still holds at <see cref="Now"/>). A silence that overlaps a database outage proves nothing:
/// every live manager was silent then, and a live one's writer needs a moment to beat again once it is back.
/// <para>
/// Only the execution's run judges (<c>ListOrphanedOperationClaimsAsync</c>, then <c>ReleaseOrphanedOperationClaimsAsync</c>
/// at its second sight, the rule judged again inside that compare-and-set); an agent's claim (<c>PATCH /operations/{id}</c>)
/// takes over only a claim the run released. The judgement needs the holder's reply, if it sent one before dying, to
/// have been read: it sits in the execution's reply queue, and only the run consuming that queue can know it has read
/// it. The run's loop checks for orphans before it reads the queue, so a freshly resumed run could judge an attempt
/// orphaned whose reply is waiting there; two checks an interval apart put one pass over that queue between them.
/// That pass reads what the broker has delivered to the run's consumer; a reply still held back in RabbitMQ behind more
/// than a prefetch of others (a large backlog after a resume) can be unread at the second sight, so the margin makes a
/// second run very unlikely, not impossible: the time-based assumption the run's re-send has always made.
/// A claim that judged on its own (as <c>PATCH /operations</c> once did) met a window: a copy claimed after the holder
/// was judged gone but before the run, if it died with the holder, was resumed and had stored that reply ran the
/// attempt a second time. Refusing such a claim only while the execution's lease is unheld or held by the holder's manager
/// narrows that window without closing it: the takeover scan claims the lease first and resumes the run after
/// (restoring the graph, then reading the queue), so a live manager holds the lease for that whole time before the
/// reply is stored. A released claim narrows it to the backlog case above: the run released it after a pass over its
/// queue, and the attempt was still unfinished then. A copy the broker redelivered before the release is refused and acked; the
/// run's re-send is the copy that runs.
/// </para>
/// <para>
/// Clock skew: a holder's <c>last_seen</c> is on its own clock and <see cref="Now"/> on the judge's, so a holder whose
/// clock is behind by d looks silent d longer, at every check alike; a second check does not help, the timeout's slack
/// does: a live holder is silent at most 1.5 intervals (half the timeout) between beats and 2.75 intervals after an
/// outage too short to break the judge's chain, so skew must stay under a quarter interval (1.25 s at the default
/// 15 s lease), the same synchronised clocks execution leases already rely on (their expiry is also written on the
/// owner's clock and read on another's). A judge just back from a database outage has a chain that began on its
/// return, so it judges nobody gone before it has been back for a whole timeout, by which time every live holder has
/// beaten again (within about three quarters of an interval of the return).
/// </para>
/// </summary>
/// <param name="Observer">The judging manager's name (its <c>managers</c> row); a manager with no row judges nobody gone.</param>
/// <param name="Now">The observer's clock.</param>
/// <param name="Timeout">How long a holder must be silent, and the observer in contact, before the holder is gone.</param>
public sealed record ClaimHolderCheck(string? Observer, DateTimeOffset Now, TimeSpan Timeout)
{
    /// <summary>Holders seen at or after this are alive; the observer's unbroken contact must reach back to it.</summary>
    public DateTimeOffset HoldersSeenSince => Now - Timeout;
}
