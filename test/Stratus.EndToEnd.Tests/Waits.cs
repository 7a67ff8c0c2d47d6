using System.Net;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Bounded waits on the manager's state. The manager is another process with no push channel, so these poll on a
/// timer; each failure names the phase, the id, what was expected and what was last seen.
/// </summary>
internal static class Waits
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task<Execution> ForExecutionEndAsync(
        StratusClient client, string executionId, string phase, TimeSpan timeout, Func<string> diagnostics, bool duringOutage = false)
    {
        Execution? last = null;
        var reached = await PollAsync(
            async ct =>
            {
                try
                {
                    last = await client.Executions.GetAsync(executionId, ct);
                }
                catch (StratusApiException e) when (duringOutage && (int)e.StatusCode >= 500)
                {
                    // The manager's database is restarting: a client asks again, as this one does.
                    return false;
                }

                return last.IsEnded;
            },
            timeout);
        return reached
            ? last!
            : throw new TimeoutException(
                $"{phase}: execution {executionId} ({last?.WorkflowId}) did not end within {timeout.TotalSeconds:0} s; " +
                $"expected terminated/failed/cancelled, last status {last?.Status}.\nManager output:\n{diagnostics()}");
    }

    public static async Task ForNotFoundAsync(Func<CancellationToken, Task> get, string phase, string id, TimeSpan timeout)
    {
        string last = "still present";
        var gone = await PollAsync(
            async ct =>
            {
                try
                {
                    await get(ct);
                    return false;
                }
                catch (StratusApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    return true;
                }
                catch (StratusApiException e)
                {
                    last = $"{(int)e.StatusCode} {e.ErrorCode}";
                    return false;
                }
            },
            timeout);
        if (!gone)
        {
            throw new TimeoutException($"{phase}: {id} was expected to answer 404 within {timeout.TotalSeconds:0} s; last: {last}");
        }
    }

    /// <summary>Polls <paramref name="done"/> until it holds; on timeout the message names the phase and what was last seen.</summary>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> done, string phase, TimeSpan timeout, Func<string> lastSeen)
    {
        if (!await PollAsync(done, timeout))
        {
            throw new TimeoutException($"{phase}: not reached within {timeout.TotalSeconds:0} s; last seen: {lastSeen()}");
        }
    }

    private static async Task<bool> PollAsync(Func<CancellationToken, Task<bool>> done, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (!await done(deadline.Token))
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
