using Stratus.Core.Model;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Tests;

/// <summary>
/// Which event bodies each manager reads (<see cref="ManagerRecord.EventWire"/>): agents send batch messages only
/// while every live manager reads them, so a row written by a manager that does not know the field must read 0.
/// </summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task ManagerEventWire_IsZero_ForRowsAnOlderManagerWroteOrRewrote_AndOne_ForACurrentHeartbeat()
    {
        var t0 = Time.GetUtcNow();
        await OlderManagerBeatAsync("old", t0, t0);
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("new", t0, t0) with { EventWire = 1 }, Token);
        // Rolled back: a current manager's row, then an older version restarted under the same id rewrites it.
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("rolled-back", t0, t0) with { EventWire = 1 }, Token);
        await OlderManagerBeatAsync("rolled-back", t0.AddSeconds(10), t0.AddSeconds(11));
        // Upgraded: an older manager's row, then the current version restarted under the same id.
        await OlderManagerBeatAsync("upgraded", t0, t0);
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("upgraded", t0.AddSeconds(10), t0.AddSeconds(11)) with { EventWire = 1 }, Token);

        var rows = await Store.ListManagersAsync(t0.AddHours(-1), Token);

        Assert.Equal(
            [("old", 0), ("new", 1), ("rolled-back", 0), ("upgraded", 1)],
            rows.Select(m => (m.Name, m.EventWire)));
    }

    /// <summary>The heartbeat of a manager from before <c>0019_manager_event_wire</c>: it does not name the columns.</summary>
    private async Task OlderManagerBeatAsync(string name, DateTimeOffset startedAt, DateTimeOffset seen)
    {
        var store = (SqlStratusStore)Store;
        await using var session = await store.Dialect.BeginWriteAsync(Token);
        var p = new SqlParameters();
        var lastSeen = p.Add(seen);
        await store.ExecuteAsync(
            session.Connection,
            session.Transaction,
            "INSERT INTO managers (name, hostname, private_ip, public_ip, version, edition, distribution, started_at, last_seen, "
                + $"status_report_frequency, next_beat_by, contact_since) VALUES ({p.Add(name)}, {p.Add(name)}, {p.Add("127.0.0.1")}, "
                + $"{p.Add("127.0.0.1")}, {p.Add("7.1.0")}, {p.Add("community")}, {p.Add("stratus")}, {p.Add(startedAt)}, {lastSeen}, "
                + $"{p.Add(5)}, {p.Add(seen.AddSeconds(7.5))}, {lastSeen}) "
                + "ON CONFLICT (name) DO UPDATE SET hostname = excluded.hostname, private_ip = excluded.private_ip, "
                + "public_ip = excluded.public_ip, version = excluded.version, edition = excluded.edition, "
                + "distribution = excluded.distribution, started_at = excluded.started_at, last_seen = excluded.last_seen, "
                + "status_report_frequency = excluded.status_report_frequency, next_beat_by = excluded.next_beat_by",
            p,
            Token);
        await session.CommitAsync(Token);
    }
}
