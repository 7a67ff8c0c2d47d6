using System.Diagnostics;

namespace Stratus.Messaging.Tests;

/// <summary>Asks the test node itself (through scripts/test-services.sh) to act, e.g. to force a connection closed, or to report.</summary>
internal static class RabbitMqCtl
{
    public const string DirVariable = "STRATUS_TEST_RABBITMQ_DIR";

    public static string? UnavailableReason => Environment.GetEnvironmentVariable(DirVariable) is { Length: > 0 }
        ? Services.RabbitMqUnavailableReason
        : $"the RabbitMQ node was not started by scripts/test-services.sh: {DirVariable} is not set";

    public static async Task CloseConnectionAsync(string connectionName, CancellationToken cancellationToken) =>
        await RunAsync("close-connection", connectionName, cancellationToken);

    /// <summary>How many channels the node counts on the client connections named <paramref name="connectionName"/>.</summary>
    public static async Task<int> ChannelCountAsync(string connectionName, CancellationToken cancellationToken)
    {
        var output = await RunAsync("channel-count", connectionName, cancellationToken);
        Assert.True(int.TryParse(output.Trim(), out var count), $"channel-count {connectionName} printed '{output.Trim()}', not a number");
        return count;
    }

    private static async Task<string> RunAsync(string verb, string connectionName, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "test-services.sh"));
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(connectionName);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(process.ExitCode == 0, $"{verb} {connectionName} failed ({process.ExitCode}): {await error}");
        return output;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Stratus.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Stratus.slnx not found above " + AppContext.BaseDirectory);
    }
}
