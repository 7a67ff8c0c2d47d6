using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

/// <summary>
/// Managers and execution leases: each write is one statement (a compare-and-set on the lease columns), except the
/// orphan claim, which selects with <see cref="SqlDialect.ForUpdateSkipLocked"/> and updates in one transaction.
/// </summary>
public abstract partial class SqlStratusStore
{
    private const string ManagerColumns =
        "id, name, hostname, private_ip, public_ip, version, edition, distribution, started_at, last_seen, status_report_frequency, "
        + "next_beat_by, contact_since, "
        // A level written by another run of the manager (an older version restarted under the same id keeps the
        // column as it was) is not this run's: only one-object messages are sure to be read.
        + "CASE WHEN event_wire_started_at = started_at THEN event_wire ELSE 0 END AS event_wire";

    public async Task UpsertManagerAsync(ManagerRecord manager, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var lastSeen = p.Add(manager.LastSeen);
        var startedAt = p.Add(manager.StartedAt);
        await ExecuteAsync(
            session,
            "INSERT INTO managers (name, hostname, private_ip, public_ip, version, edition, distribution, started_at, last_seen, "
                + "status_report_frequency, next_beat_by, contact_since, event_wire, event_wire_started_at) "
                + $"VALUES ({p.Add(manager.Name)}, {p.Add(manager.Hostname)}, "
                + $"{p.Add(manager.PrivateIp)}, {p.Add(manager.PublicIp)}, {p.Add(manager.Version)}, {p.Add(manager.Edition)}, "
                + $"{p.Add(manager.Distribution)}, {startedAt}, {lastSeen}, {p.Add(manager.StatusReportFrequency)}, "
                + $"{p.Add(manager.NextBeatBy)}, {lastSeen}, {p.Add(manager.EventWire)}, {startedAt}) "
                + "ON CONFLICT (name) DO UPDATE SET hostname = excluded.hostname, private_ip = excluded.private_ip, "
                + "public_ip = excluded.public_ip, version = excluded.version, edition = excluded.edition, "
                + "distribution = excluded.distribution, started_at = excluded.started_at, last_seen = excluded.last_seen, "
                + "status_report_frequency = excluded.status_report_frequency, next_beat_by = excluded.next_beat_by, "
                + "event_wire = excluded.event_wire, event_wire_started_at = excluded.event_wire_started_at, "
                // The chain goes on only when this beat came by the previous one's promise from the same run of the
                // manager; otherwise (a gap: the database or the manager was away) contact starts again now.
                + "contact_since = CASE WHEN managers.started_at = excluded.started_at AND managers.next_beat_by >= excluded.last_seen "
                + "AND managers.contact_since IS NOT NULL THEN managers.contact_since ELSE excluded.last_seen END",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ManagerRecord>> ListManagersAsync(DateTimeOffset seenSince, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT {ManagerColumns} FROM managers WHERE last_seen >= {p.Add(seenSince)} ORDER BY id",
            p,
            r => new ManagerRecord
            {
                Id = r.Long("id"),
                Name = r.String("name"),
                Hostname = r.String("hostname"),
                PrivateIp = r.String("private_ip"),
                PublicIp = r.String("public_ip"),
                Version = r.String("version"),
                Edition = r.String("edition"),
                Distribution = r.String("distribution"),
                StartedAt = r.Timestamp("started_at"),
                LastSeen = r.Timestamp("last_seen"),
                StatusReportFrequency = r.Int("status_report_frequency"),
                NextBeatBy = r.NullableTimestamp("next_beat_by"),
                ContactSince = r.NullableTimestamp("contact_since"),
                EventWire = r.Int("event_wire"),
            },
            cancellationToken);
    }

    public async Task DeleteManagerAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        await ExecuteAsync(session, $"DELETE FROM managers WHERE name = {p.Add(name)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task<bool> TryClaimExecutionAsync(
        string executionId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE executions SET lease_owner = {p.Add(owner)}, lease_expires_at = {p.Add(expiresAt)} WHERE id = {p.Add(executionId)} "
                + $"AND status IN ({p.AddList(ExecutionStatus.ActiveStates)}) AND (lease_owner IS NULL OR lease_owner = {p.Add(owner)} "
                + $"OR lease_expires_at <= {p.Add(now)})",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<IReadOnlyList<string>> RenewExecutionLeasesAsync(
        string owner, IReadOnlyList<string> executionIds, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        if (executionIds.Count == 0)
        {
            return [];
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var held = await QueryAsync(
            session,
            $"UPDATE executions SET lease_expires_at = {p.Add(expiresAt)} WHERE lease_owner = {p.Add(owner)} "
                + $"AND id IN ({p.AddList(executionIds)}) RETURNING id",
            p,
            r => r.String("id"),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return held;
    }

    public async Task ReleaseExecutionLeaseAsync(string executionId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        await ExecuteAsync(
            session,
            $"UPDATE executions SET lease_expires_at = {p.Add(now)} WHERE id = {p.Add(executionId)} AND lease_owner = {p.Add(owner)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ClaimOrphanedExecutionsAsync(
        string owner, DateTimeOffset now, DateTimeOffset expiresAt, int limit, bool includeUnleased, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var sp = new SqlParameters();
        var orphaned = $"(lease_owner IS NOT NULL AND lease_expires_at <= {sp.Add(now)})";
        var ids = await QueryAsync(
            session,
            $"SELECT id FROM executions WHERE status IN ({sp.AddList(ExecutionStatus.ActiveStates)}) "
                + $"AND ({orphaned}{(includeUnleased ? " OR lease_owner IS NULL" : "")}) ORDER BY created_at, id "
                + $"LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}{Dialect.ForUpdateSkipLocked}",
            sp,
            r => r.String("id"),
            cancellationToken);
        if (ids.Count > 0)
        {
            // Checkpoint: the rows are locked (PostgreSQL) or the writer gate is held (SQLite) until this commit, so
            // no other manager can take them between the select and this update.
            var up = new SqlParameters();
            await ExecuteAsync(
                session,
                $"UPDATE executions SET lease_owner = {up.Add(owner)}, lease_expires_at = {up.Add(expiresAt)} WHERE id IN ({up.AddList(ids)})",
                up,
                cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<string>> ClaimStalePendingExecutionsAsync(
        string owner, DateTimeOffset createdBefore, DateTimeOffset expiresAt, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var sp = new SqlParameters();
        var ids = await QueryAsync(
            session,
            $"SELECT id FROM executions WHERE status = {sp.Add(ExecutionStatus.Pending)} AND lease_owner IS NULL "
                + $"AND created_at <= {sp.Add(createdBefore)} ORDER BY created_at, id "
                + $"LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}{Dialect.ForUpdateSkipLocked}",
            sp,
            r => r.String("id"),
            cancellationToken);
        if (ids.Count > 0)
        {
            // Checkpoint: locked (PostgreSQL) or under the writer gate (SQLite) until this commit; the update repeats the
            // "nobody holds it" condition so a start message claimed meanwhile on another path is not taken twice.
            var up = new SqlParameters();
            ids = await QueryAsync(
                session,
                $"UPDATE executions SET lease_owner = {up.Add(owner)}, lease_expires_at = {up.Add(expiresAt)} "
                    + $"WHERE id IN ({up.AddList(ids)}) AND lease_owner IS NULL RETURNING id",
                up,
                r => r.String("id"),
                cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<ExecutionLease?> GetExecutionLeaseAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var rows = await ReadAsync(
            $"SELECT lease_owner, lease_expires_at FROM executions WHERE id = {p.Add(executionId)} AND lease_owner IS NOT NULL",
            p,
            r => new ExecutionLease(r.String("lease_owner"), r.Timestamp("lease_expires_at")),
            cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }
}
