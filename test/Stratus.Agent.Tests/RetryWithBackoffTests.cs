using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Tests;

/// <summary>
/// The one back-off loop behind operation claims and event posts: 250 ms doubling to 5 s, given up once the next
/// attempt would start more than 2 minutes after the first. A fake clock drives every wait; nothing sleeps.
/// </summary>
public sealed class RetryWithBackoffTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TransientErrors_AreRetried_WithDelaysDoublingFrom250MsUpTo5s_UntilTheCallSucceeds()
    {
        var time = new WatchedTime();
        var calls = 0;
        var told = new List<TimeSpan>();

        var run = RetryWithBackoff.RunAsync(
            time,
            _ => ++calls <= 7 ? Task.FromException(new HttpRequestException($"failure {calls}")) : Task.CompletedTask,
            _ => true,
            (_, delay) => told.Add(delay),
            Cancel);
        var waits = await time.DriveAsync(run, "retries of a call failing 7 times");
        await run;

        double[] expected = [250, 500, 1000, 2000, 4000, 5000, 5000];
        Assert.Equal(expected, waits.Select(w => w.TotalMilliseconds));
        Assert.Equal(expected, told.Select(w => w.TotalMilliseconds));
        Assert.Equal(8, calls);
    }

    [Fact]
    public async Task ACallThatNeverSucceeds_IsGivenUp_WhenTheNextAttemptWouldStartAfterTwoMinutes_WithTheLastError()
    {
        var time = new WatchedTime();
        var start = time.GetUtcNow();
        var calls = 0;
        var lastCallAt = start;

        var run = RetryWithBackoff.RunAsync(
            time,
            _ =>
            {
                lastCallAt = time.GetUtcNow();
                return Task.FromException(new HttpRequestException($"failure {++calls}"));
            },
            _ => true,
            null,
            Cancel);
        await time.DriveAsync(run, "retries of a call that always fails");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => run);

        // Attempts at 0, 0.25, 0.75, 1.75, 3.75 s, then every 5 s from 7.75 s to 117.75 s; 122.75 s would be too late.
        Assert.Equal(28, calls);
        Assert.Equal("failure 28", error.Message);
        Assert.Equal(TimeSpan.FromMilliseconds(117_750), lastCallAt - start);
        Assert.Equal(lastCallAt, time.GetUtcNow());
    }

    [Fact]
    public async Task AnErrorThatIsNotTransient_IsThrownAtOnce_WithoutWaiting()
    {
        var time = new WatchedTime();
        var calls = 0;

        var run = RetryWithBackoff.RunAsync(
            time,
            _ => Task.FromException(new InvalidOperationException($"refused {++calls}")),
            ex => ex is HttpRequestException,
            (_, _) => throw new InvalidOperationException("a refusal must not be retried"),
            Cancel);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Equal("refused 1", error.Message);
        Assert.Equal(1, calls);
        Assert.False(time.Timers.Reader.TryRead(out _), "a wait was started for an error that is not transient");
    }

    [Fact]
    public async Task Cancelling_DuringAWait_StopsRetrying()
    {
        var time = new WatchedTime();
        using var stop = new CancellationTokenSource();
        var calls = 0;

        var run = RetryWithBackoff.RunAsync(time, _ => Task.FromException(new HttpRequestException($"failure {++calls}")), _ => true, null, stop.Token);
        await time.NextTimerAsync("the first wait");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(1, calls);
    }
}
