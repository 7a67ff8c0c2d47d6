using Microsoft.Extensions.Time.Testing;

namespace Stratus.Workflows.Tests.Support;

/// <summary>
/// A fake clock that tells when a timer is armed on it. A wait is measured from the moment it is armed, so an advance
/// made just before the code under test arms its wait is lost; knowing when a wait is armed lets a test advance past
/// every one it needs instead of guessing with real time.
/// </summary>
internal sealed class WatchedTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    private TaskCompletionSource _armed = NewSignal();

    /// <summary>Completes when a timer is armed after this call.</summary>
    public Task NextTimerArmed() => Volatile.Read(ref _armed).Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Exchange(ref _armed, NewSignal()).TrySetResult();
        return timer;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
