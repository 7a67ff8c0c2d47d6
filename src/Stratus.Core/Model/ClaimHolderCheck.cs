namespace Stratus.Core.Model;

/// <summary>
/// When an attempt claimed by a manager's own agent counts as orphaned, judged by one observing manager at
/// <see cref="Now"/>: the holder's manager has no row seen within <see cref="Timeout"/> that started before the claim,
/// AND the observer's own heartbeats show unbroken contact with the database over that whole window (its row's chain of
/// beats began at or before <see cref="HoldersSeenSince"/>, each beat came before the previous one's promised next beat,
/// and the last promise still holds at <see cref="Now"/>). A silence that overlaps a database outage proves nothing:
/// every live manager was silent then, and a live one's writer needs a moment to beat again once it is back.
/// <para>
/// One check is enough where an agent claims an attempt (<c>PATCH /operations/{id}</c>), unlike the run's re-send,
/// which waits for two checks in a row. The run's margin guards its own unread replies: its loop checks for orphans
/// before it reads its reply queue, so a freshly resumed run could judge an attempt orphaned whose reply is waiting
/// there; two checks an interval apart put one read of that queue between them. A claim has no such inbox and makes
/// no copy (it picks which delivered copy runs), and everything it judges is already durable in the database, so a
/// second look an instant later would read the same rows: at most a longer timeout. The cases a margin might be for:
/// a judge just back from a database outage has a chain that began on its return, so it judges nobody gone before it
/// has been back for a whole timeout, by which time every live holder has beaten again (within about three quarters
/// of an interval of the return). Clock skew: a holder's <c>last_seen</c> is on its own clock and <see cref="Now"/>
/// on the judge's, so a holder whose clock is behind by d looks silent d longer, at every check alike; a second check
/// does not help, the timeout's slack does: a live holder is silent at most 1.5 intervals (half the timeout) between
/// beats and 2.75 intervals after an outage too short to break the judge's chain, so skew must stay under a quarter interval (1.25 s at the default
/// 15 s lease), the same synchronised clocks execution leases already rely on (their expiry is also written on the
/// owner's clock and read on another's). Neither one check nor two covers a copy claimed after the holder is judged
/// gone but before the execution's run, if it died with the holder, is resumed and has stored a reply the holder's
/// agent sent before dying: the broker requeues a dead connection's copies at once (refused then: the holder still
/// looks alive) or after about two broker heartbeats (60 s, after the lease was taken over), so only a copy that waited
/// in a queue through that gap of a few seconds meets it.
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
