namespace Stratus.Messaging.Tests;

internal static class Await
{
    public static async Task<T> Within<T>(Task<T> task, string expected)
    {
        try
        {
            return await task.WaitAsync(Inbox.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {expected} within {Inbox.Timeout.TotalSeconds}s; it did not happen.");
        }
    }

    public static async Task Within(Task task, string expected)
    {
        try
        {
            await task.WaitAsync(Inbox.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {expected} within {Inbox.Timeout.TotalSeconds}s; it did not happen.");
        }
    }
}
