namespace Stratus.Agent.Manager;

/// <summary>
/// Calls to the manager that a restart of the manager, its database or its broker must not lose: an attempt that fails
/// with a transient error is made again after a delay that starts at <see cref="FirstDelay"/> and doubles up to
/// <see cref="MaxDelay"/>, until it succeeds or the next attempt would start after <see cref="GiveUpAfter"/> (then the
/// last error is thrown). Any other error is thrown at once. Time comes from the given <see cref="TimeProvider"/>, so
/// tests drive the waits with a fake clock.
/// </summary>
internal static class RetryWithBackoff
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <param name="time">The clock the give-up time and the waits are measured on.</param>
    /// <param name="attempt">The call; it gets <paramref name="cancellationToken"/>.</param>
    /// <param name="isTransient">Whether an error may go away by itself (then the call is made again).</param>
    /// <param name="retrying">Told of each transient error that is retried, with the delay before the next attempt.</param>
    /// <param name="cancellationToken">Stops the waits and the call.</param>
    public static async Task RunAsync(
        TimeProvider time,
        Func<CancellationToken, Task> attempt,
        Func<Exception, bool> isTransient,
        Action<Exception, TimeSpan>? retrying,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(isTransient);
        var giveUpAt = time.GetUtcNow() + GiveUpAfter;
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                await attempt(cancellationToken);
                return;
            }
            catch (Exception ex) when (isTransient(ex) && time.GetUtcNow() + delay <= giveUpAt)
            {
                retrying?.Invoke(ex, delay);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
