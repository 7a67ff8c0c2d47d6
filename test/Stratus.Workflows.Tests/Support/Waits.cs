namespace Stratus.Workflows.Tests.Support;

/// <summary>Bounded waits whose failure says what was expected (house rule: no sleeps, no anonymous timeouts).</summary>
internal static class Waits
{
    public static async Task<T> Within<T>(this Task<T> task, string expectation)
    {
        try
        {
            return await task.WaitAsync(EngineHarness.Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Waited {EngineHarness.Timeout.TotalSeconds:0}s for {expectation}; it did not happen.", ex);
        }
    }

    public static async Task Within(this Task task, string expectation)
    {
        try
        {
            await task.WaitAsync(EngineHarness.Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Waited {EngineHarness.Timeout.TotalSeconds:0}s for {expectation}; it did not happen.", ex);
        }
    }
}
