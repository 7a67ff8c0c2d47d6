namespace Stratus.Core.Model;

/// <summary>
/// When an attempt claimed by a manager's own agent counts as orphaned, judged by one observing manager at
/// <see cref="Now"/>: the holder's manager has no row seen within <see cref="Timeout"/> that started before the claim,
/// AND the observer's own heartbeats show unbroken contact with the database over that whole window (its row's chain of
/// beats began at or before <see cref="HoldersSeenSince"/>, each beat came before the previous one's promised next beat,
/// and the last promise still holds at <see cref="Now"/>). A silence that overlaps a database outage proves nothing:
/// every live manager was silent then, and a live one's writer needs a moment to beat again once it is back.
/// </summary>
/// <param name="Observer">The judging manager's name (its <c>managers</c> row); a manager with no row judges nobody gone.</param>
/// <param name="Now">The observer's clock.</param>
/// <param name="Timeout">How long a holder must be silent, and the observer in contact, before the holder is gone.</param>
public sealed record ClaimHolderCheck(string? Observer, DateTimeOffset Now, TimeSpan Timeout)
{
    /// <summary>Holders seen at or after this are alive; the observer's unbroken contact must reach back to it.</summary>
    public DateTimeOffset HoldersSeenSince => Now - Timeout;
}
