using Microsoft.Extensions.Hosting;

namespace Stratus.Cli.Commands;

/// <summary>
/// Runs a host in the foreground for <c>manager start</c> and <c>agent start</c>: start (a failure becomes a CLI error
/// with <paramref name="startFailure"/> in front), print the banner, wait for Ctrl+C or shutdown, stop gracefully.
/// </summary>
internal static class ForegroundHost
{
    public static async Task<int> RunAsync(
        IHost host, CommandContext context, string startFailure, string banner, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or CliException))
        {
            throw new CliException($"{startFailure}: {e.Message}", e);
        }

        await context.Out.WriteLineAsync(banner);
        await context.Out.FlushAsync(cancellationToken);
        try
        {
            await host.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: fall through to a graceful stop.
        }

        await host.StopAsync(CancellationToken.None);
        return CliApp.Ok;
    }
}
