using System.Diagnostics;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// The private systemd of scripts/test-services.sh (<c>STRATUS_TEST_SYSTEMD=host:port:user:keyfile</c>, or
/// <c>STRATUS_TEST_SYSTEMD_SUDO</c> for its login that is not root): a real
/// systemd as PID 1 of its own namespaces with an sshd, sharing this machine's network and files. Commands run over
/// SSH, so they see that manager (systemctl, /etc/systemd/system) and its process ids. Without it a test skips, or
/// fails when CI=true.
/// </summary>
internal sealed record SystemdHost(string Host, int Port, string User, string KeyFile)
{
    /// <summary>The root login (<c>STRATUS_TEST_SYSTEMD</c>).</summary>
    public static SystemdHost Require() => Require("STRATUS_TEST_SYSTEMD");

    /// <summary>
    /// The login of a user who is not root and has passwordless sudo (<c>STRATUS_TEST_SYSTEMD_SUDO</c>, same systemd and
    /// key); its commands that need root are prefixed with <c>sudo -n</c> (<see cref="Root"/>).
    /// </summary>
    public static SystemdHost RequireSudo() => Require("STRATUS_TEST_SYSTEMD_SUDO");

    /// <summary>
    /// <paramref name="command"/> as root: unchanged for the root login, through <c>sudo -n</c> otherwise (a user's
    /// systemctl would ask a D-Bus that the private systemd does not run).
    /// </summary>
    public string Root(string command) => User == "root" ? command : "sudo -n " + command;

    private static SystemdHost Require(string variable)
    {
        var parts = Environment.GetEnvironmentVariable(variable)?.Split(':', 4);
        if (parts is { Length: 4 } && int.TryParse(parts[1], out var port))
        {
            return new SystemdHost(parts[0], port, parts[2], parts[3]);
        }

        TestServices.Unavailable($"the private systemd was not provisioned: {variable} is not set (run `source scripts/test-services.sh start` first)");
        throw new UnreachableException("TestServices.Unavailable throws");
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
        (await RunAsync(Root($"systemctl show -p {property} --value {unit}"), cancellationToken)).Output;
}
