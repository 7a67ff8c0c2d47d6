using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Inserts the manager's row, or refreshes it (by name) with the given values: its heartbeat. The row's
    /// <see cref="ManagerRecord.ContactSince"/> is kept when this beat came by the previous beat's
    /// <see cref="ManagerRecord.NextBeatBy"/> from the same start, and restarts at this beat's time otherwise.
    /// <see cref="ManagerRecord.EventWire"/> is stored for this start only: a row a manager that does not know the
    /// field wrote or rewrote reads back with 0.
    /// </summary>
    Task UpsertManagerAsync(ManagerRecord manager, CancellationToken cancellationToken = default);

    /// <summary>Managers whose last heartbeat is at or after <paramref name="seenSince"/>, by id.</summary>
    Task<IReadOnlyList<ManagerRecord>> ListManagersAsync(DateTimeOffset seenSince, CancellationToken cancellationToken = default);

    /// <summary>Removes a manager's row (a graceful stop); idempotent.</summary>
    Task DeleteManagerAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-set of an active execution's lease: taken by <paramref name="owner"/> when nobody holds it, the
    /// owner already does, or the holder's lease expired at or before <paramref name="now"/>. False otherwise (another
    /// live manager runs it, or the execution is not active).
    /// </summary>
    Task<bool> TryClaimExecutionAsync(
        string executionId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Extends the leases <paramref name="owner"/> still holds among <paramref name="executionIds"/>; returns those ids.</summary>
    Task<IReadOnlyList<string>> RenewExecutionLeasesAsync(
        string owner, IReadOnlyList<string> executionIds, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Ends the owner's lease now (it stays named, expired), so any manager may take the execution at once.</summary>
    Task ReleaseExecutionLeaseAsync(string executionId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="limit"/> active executions whose lease expired at or before <paramref name="now"/>
    /// (and, with <paramref name="includeUnleased"/>, those nobody ever claimed), oldest first, and returns their ids.
    /// Concurrent callers never take the same execution (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>; SQLite: the
    /// writer gate).
    /// </summary>
    Task<IReadOnlyList<string>> ClaimOrphanedExecutionsAsync(
        string owner, DateTimeOffset now, DateTimeOffset expiresAt, int limit, bool includeUnleased, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="limit"/> <c>pending</c> executions that no manager ever claimed and that were created at
    /// or before <paramref name="createdBefore"/> (their start message was lost, e.g. dead-lettered during a database
    /// outage), oldest first, and returns their ids. Same concurrency rule as <see cref="ClaimOrphanedExecutionsAsync"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ClaimStalePendingExecutionsAsync(
        string owner, DateTimeOffset createdBefore, DateTimeOffset expiresAt, int limit, CancellationToken cancellationToken = default);

    /// <summary>The execution's lease; null when it has none or does not exist.</summary>
    Task<ExecutionLease?> GetExecutionLeaseAsync(string executionId, CancellationToken cancellationToken = default);
}
