using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Stratus.Agent.Tests;

/// <summary>A fake clock that reports every timer started on it, so a test advances exactly past each wait.</summary>
internal sealed class WatchedTime : TimeProvider
{
    private readonly FakeTimeProvider _inner = new(new DateTimeOffset(2026, 11, 26, 23, 0, 0, TimeSpan.Zero));

    public Channel<TimeSpan> Timers { get; } = Channel.CreateUnbounded<TimeSpan>();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    /// <summary>Moves the clock on by <paramref name="by"/>, firing the timers that fall due.</summary>
    public void Advance(TimeSpan by) => _inner.Advance(by);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        Timers.Writer.TryWrite(dueTime);
        return timer;
    }

    public async Task<TimeSpan> NextTimerAsync(string phase)
    {
        try
        {
            return await Timers.Reader.ReadAsync(Cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{phase}: expected a wait to start within 10 s; none did");
        }
    }

    /// <summary>Advances past each wait <paramref name="run"/> starts until it ends; returns the waits.</summary>
    public async Task<List<TimeSpan>> DriveAsync(Task run, string phase)
    {
        var waits = new List<TimeSpan>();
        while (true)
        {
            var next = Timers.Reader.ReadAsync(Cancel).AsTask();
            await Task.WhenAny(run, next).WaitAsync(TimeSpan.FromSeconds(10), Cancel).ContinueWith(
                t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException(
                    $"{phase}: after {waits.Count} waits neither a new wait started nor the call ended within 10 s"),
                TaskScheduler.Default);
            if (!next.IsCompleted)
            {
                return waits;
            }

            var due = await next;
            waits.Add(due);
            _inner.Advance(due);
        }
    }
}
