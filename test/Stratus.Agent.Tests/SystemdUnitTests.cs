using System.Diagnostics;
using Stratus.Agent.Installer.Remote;

namespace Stratus.Agent.Tests;

/// <summary>
/// The unit the remote installer writes, checked by systemd's own parser (<c>systemd-analyze verify</c>, offline) for
/// agent folders that need escaping in a unit file. The end-to-end SystemdAgentTests runs it under a real systemd.
/// </summary>
public sealed class SystemdUnitTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("per%cent and $dollar")]
    [InlineData("semi;colon & amp")]
    public async Task Unit_PassesSystemdAnalyzeVerify_WithExecStartOnTheFoldersRunScript(string folder)
    {
        var analyze = RequireSystemdAnalyze();
        var root = Directory.CreateTempSubdirectory("stratus-unit-");
        try
        {
            var dir = Path.Combine(root.FullName, folder, ".stratus-agent", "vm_1");
            Directory.CreateDirectory(dir);
            var run = Path.Combine(dir, "run.sh");
            await File.WriteAllTextAsync(run, "#!/bin/sh\nexit 0\n", Cancel);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var unit = Path.Combine(root.FullName, RemoteScripts.UnitName("vm_1"));
            var text = RemoteScripts.Unit(dir, "vm_1", "root", TimeSpan.FromSeconds(30));
            await File.WriteAllTextAsync(unit, text, Cancel);

            var (code, output) = await RunAsync(analyze, unit);

            // verify reports a wrongly escaped ExecStart as a command that is not executable, and any syntax it rejects.
            Assert.True(code == 0 && output.Length == 0, $"systemd-analyze verify exited {code}:\n{output}\nunit:\n{text}");
            Assert.Contains("Restart=on-failure", text, StringComparison.Ordinal);
            Assert.Contains("TimeoutStopSec=30", text, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("/home/a\\b", "a backslash")]
    [InlineData("/home/a\nb", "a control character")]
    [InlineData("/home/ab ", "leading or trailing blanks")]
    [InlineData("/home/a'b", "a quote")]
    [InlineData("/home/a\"b", "a quote")]
    [InlineData("/home/a b/%c$d", null)]
    public void UnitProblem_NamesWhatAUnitFileCannotCarry(string value, string? problem) =>
        Assert.Equal(problem, RemoteScripts.UnitProblem(value));

    private static string RequireSystemdAnalyze()
    {
        foreach (var path in new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" })
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        const string reason = "systemd-analyze is not installed (Debian: apt-get install systemd)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    private static async Task<(int Code, string Output)> RunAsync(string analyze, string unit)
    {
        var start = new ProcessStartInfo(analyze) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(unit);
        // Offline: no manager to ask, no pager, and the system's own units only for the targets the unit names.
        start.Environment["SYSTEMD_PAGER"] = "cat";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, ((await output) + (await errors)).Trim());
    }
}
