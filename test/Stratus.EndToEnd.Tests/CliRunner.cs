using System.Diagnostics;

namespace Stratus.EndToEnd.Tests;

/// <summary>Runs the real CLI process against the test manager, with a private HOME so no profile leaks in.</summary>
internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(ManagerProcess manager, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STRATUS_MANAGER_URL"] = manager.Url.ToString();
        start.Environment["STRATUS_USERNAME"] = "admin";
        start.Environment["STRATUS_PASSWORD"] = ManagerProcess.AdminPassword;
        start.Environment["HOME"] = manager.WorkDir;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'stratus {string.Join(' ', args)}' did not exit within {timeout.TotalSeconds:0} s");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
