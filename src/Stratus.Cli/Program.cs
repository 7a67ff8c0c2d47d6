namespace Stratus.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops the current wait cleanly; a second one kills the process as usual.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        };
        return await CliApp.RunAsync(args, CliConsole.System(), CliEnvironment.System(), TimeProvider.System, cancel.Token);
    }
}
