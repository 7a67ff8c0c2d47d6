using System.Diagnostics;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// The private systemd of scripts/test-services.sh (<c>STRATUS_TEST_SYSTEMD=host:port:user:keyfile</c>): a real
/// systemd as PID 1 of its own namespaces with an sshd, sharing this machine's network and files. Commands run over
/// SSH, so they see that manager (systemctl, /etc/systemd/system) and its process ids. Without it a test skips, or
/// fails when CI=true.
/// </summary>
internal sealed record SystemdHost(string Host, int Port, string User, string KeyFile)
{
    public static SystemdHost Require()
    {
        var parts = Environment.GetEnvironmentVariable("STRATUS_TEST_SYSTEMD")?.Split(':', 4);
        if (parts is { Length: 4 } && int.TryParse(parts[1], out var port))
        {
            return new SystemdHost(parts[0], port, parts[2], parts[3]);
        }

        const string reason = "the private systemd was not provisioned: STRATUS_TEST_SYSTEMD is not set (run `source scripts/test-services.sh start` first)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    /// <summary>Runs <paramref name="command"/> on the host; returns its exit status and standard output (trimmed).</summary>
    public async Task<(int Code, string Output)> RunAsync(string command, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-i", KeyFile, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", $"{User}@{Host}", command,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(bounded.Token);
        if (process.ExitCode == 255)
        {
            throw new InvalidOperationException($"ssh to {User}@{Host}:{Port} failed running `{command}`: {await errors}");
        }

        return (process.ExitCode, (await output).Trim());
    }

    /// <summary>The value of one property of a unit (<c>systemctl show -p NAME --value</c>).</summary>
    public async Task<string> UnitPropertyAsync(string unit, string property, CancellationToken cancellationToken = default) =>
        (await RunAsync($"systemctl show -p {property} --value {unit}", cancellationToken)).Output;
}
