using System.Diagnostics;

namespace Stratus.Messaging.Tests;

/// <summary>Asks the test node itself to act (through scripts/test-services.sh), e.g. to force a connection closed.</summary>
internal static class RabbitMqCtl
{
    public const string DirVariable = "STRATUS_TEST_RABBITMQ_DIR";

    public static string? UnavailableReason => Environment.GetEnvironmentVariable(DirVariable) is { Length: > 0 }
        ? Services.RabbitMqUnavailableReason
        : $"the RabbitMQ node was not started by scripts/test-services.sh: {DirVariable} is not set";

    public static async Task CloseConnectionAsync(string connectionName, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "test-services.sh"));
        start.ArgumentList.Add("close-connection");
        start.ArgumentList.Add(connectionName);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(process.ExitCode == 0, $"closing connection {connectionName} failed ({process.ExitCode}): {await error}");
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
