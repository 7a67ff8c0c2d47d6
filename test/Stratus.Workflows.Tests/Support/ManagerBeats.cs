using Stratus.Testing;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Workflows.Tests.Support;

/// <summary>
/// Managers' heartbeat writers on the fake clock, written as <c>Server/Manager/ManagerHeartbeat</c> writes them for a
/// 15 s lease: every <see cref="Interval"/>, each beat promising the next within 1.5 intervals, a failed beat tried
/// again after a quarter interval. A writer beats only while the database is up and its manager's writer can.
/// </summary>
internal sealed class ManagerBeats(IStratusStore store, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Writer> _writers = new(StringComparer.Ordinal);
    private (DateTimeOffset From, DateTimeOffset Until)? _outage;

    /// <summary>A manager started now whose writer beats whenever <paramref name="canBeat"/> allows (always by default).</summary>
    public void Add(string name, Func<DateTimeOffset, bool>? canBeat = null)
    {
        var now = time.GetUtcNow();
        _writers[name] = new Writer(now, canBeat ?? (_ => true)) { Next = now };
    }

    /// <summary>The database is away over [from, until): nobody's beat is written.</summary>
    public void Outage(DateTimeOffset from, DateTimeOffset until) => _outage = (from, until);

    /// <summary>Writes the beats that are due at the fake clock's now.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (name, writer) in _writers.Where(w => now >= w.Value.Next))
        {
            if ((_outage is { } o && now >= o.From && now < o.Until) || !writer.CanBeat(now))
            {
                writer.Next = now + (Interval / 4);
                continue;
            }

            await store.UpsertManagerAsync(Row(name, writer.StartedAt, now), cancellationToken);
            writer.Next = now + Interval;
        }
    }

    public static ManagerRecord Row(string name, DateTimeOffset startedAt, DateTimeOffset at) =>
        ManagerHeartbeats.Row(name, startedAt, at) with
        {
            StatusReportFrequency = (int)Interval.TotalSeconds,
            NextBeatBy = at + (Interval * 1.5),
        };

    private sealed class Writer(DateTimeOffset startedAt, Func<DateTimeOffset, bool> canBeat)
    {
        public DateTimeOffset StartedAt => startedAt;

        public Func<DateTimeOffset, bool> CanBeat => canBeat;

        public DateTimeOffset Next { get; set; }
    }
}
