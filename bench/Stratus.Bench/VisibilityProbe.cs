using System.Diagnostics;
using System.Globalization;

namespace Stratus.Bench;

/// <summary>
/// "Until visible" for B6 through the broker, measured on marked lines. Every <see cref="Interval"/> one line of a
/// second execution (the probe execution) rides in the next batch a sender publishes, through the same exchange and
/// queue as the load; a poller lists the probe execution's rows every <see cref="PollInterval"/>. A probe's lag runs
/// from its batch's confirmed publish to the answer of the first listing that holds it. The listing reads a few
/// hundred rows however large the load's execution grows, so, unlike a count of the load (about 1 s at 1.8 million
/// rows), neither its duration nor its CPU skews the figure it measures. At most <see cref="MaxProbes"/> lines are
/// marked (one listing page: the first 50 s of a run at one per 50 ms); later batches carry none.
/// </summary>
internal sealed class VisibilityProbe(string executionId, Stopwatch clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>One page of <c>GET /events</c>: every marked line fits in the poller's single listing.</summary>
    public const int MaxProbes = 1000;

    private const string Prefix = "probe ";

    private readonly Lock _gate = new();
    private readonly Dictionary<int, double> _confirmedAt = [];
    private readonly Dictionary<int, double> _seenAt = [];
    private TimeSpan _nextDue;
    private int _next;
    private double _slowestPoll;

    public string ExecutionId => executionId;

    /// <summary>The number of the probe a sender should add to its next batch, or null when none is due.</summary>
    public int? TakeDue()
    {
        lock (_gate)
        {
            var now = clock.Elapsed;
            if (now < _nextDue || _next >= MaxProbes)
            {
                return null;
            }

            _nextDue = now + Interval;
            return _next++;
        }
    }

    public static string Text(int probe) => Prefix + probe.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records when the batch holding <paramref name="probe"/> was confirmed by the broker.</summary>
    public void Confirmed(int probe, double atMilliseconds)
    {
        lock (_gate)
        {
            _confirmedAt[probe] = atMilliseconds;
        }
    }

    /// <summary>True when every confirmed probe has been seen stored.</summary>
    public bool AllSeen()
    {
        lock (_gate)
        {
            return _confirmedAt.Keys.All(_seenAt.ContainsKey);
        }
    }

    public async Task PollAsync(BenchApi api, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var asked = clock.Elapsed;
            var messages = await api.ListEventMessagesAsync(executionId, CancellationToken.None);
            var answered = clock.Elapsed.TotalMilliseconds;
            lock (_gate)
            {
                _slowestPoll = Math.Max(_slowestPoll, answered - asked.TotalMilliseconds);
                foreach (var message in messages)
                {
                    if (message.StartsWith(Prefix, StringComparison.Ordinal)
                        && int.TryParse(message.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var probe))
                    {
                        _seenAt.TryAdd(probe, answered);
                    }
                }
            }

            try
            {
                await Task.Delay(PollInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Each probe's confirm time and lag (ms; lag -1 when never seen), in probe order, for a timeline.</summary>
    public List<(int Probe, double ConfirmedAt, double Lag)> Timeline()
    {
        lock (_gate)
        {
            return [.. _confirmedAt.OrderBy(c => c.Key).Select(c => (c.Key, c.Value, _seenAt.TryGetValue(c.Key, out var seen) ? Math.Max(0, seen - c.Value) : -1))];
        }
    }

    /// <summary>
    /// The sorted lags of the probes confirmed from <paramref name="from"/> on and seen, how many confirmed probes (any
    /// time) were never seen, and the slowest listing.
    /// </summary>
    public (List<double> Lags, int Unseen, double SlowestPollMs) Result(TimeSpan from)
    {
        lock (_gate)
        {
            var lags = _confirmedAt
                .Where(c => c.Value >= from.TotalMilliseconds && _seenAt.ContainsKey(c.Key))
                .Select(c => Math.Max(0, _seenAt[c.Key] - c.Value))
                .Order()
                .ToList();
            return (lags, _confirmedAt.Keys.Count(k => !_seenAt.ContainsKey(k)), _slowestPoll);
        }
    }
}
