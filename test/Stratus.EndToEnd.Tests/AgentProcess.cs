using System.Diagnostics;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A real <c>stratus agent start</c> process for a manager, with the admin's credentials in its environment.
/// Killed (with its children) when disposed.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ProcessOutput _output = new();
    private Process? _process;

    public string Output => _output.Text;

    /// <summary>Completes with the first line of the agent's output (past or future) that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match) => _output.WaitForLineAsync(match);

    /// <summary>Freezes the agent process (SIGSTOP): it holds its connections but answers nothing.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Lets a paused agent run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(kill.ExitCode == 0, $"kill {signal} of the agent exited {kill.ExitCode}");
    }

    public static async Task<AgentProcess> StartAsync(ManagerProcess manager, string name, string brokerUrl, params string[] extraArguments)
    {
        var agent = new AgentProcess();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { RepoPaths.CliDll, "agent", "start", "--name", name, "--manager-url", manager.Url.ToString(), "--broker-url", brokerUrl }.Concat(extraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STRATUS_USERNAME"] = "admin";
        start.Environment["STRATUS_PASSWORD"] = ManagerProcess.AdminPassword;
        start.Environment["STRATUS_TENANT"] = "default_tenant";
        agent._process = new Process { StartInfo = start, EnableRaisingEvents = true };
        agent._process.OutputDataReceived += (_, e) => agent._output.Add(e.Data);
        agent._process.ErrorDataReceived += (_, e) => agent._output.Add(e.Data);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent._process.Exited += (_, _) => exited.TrySetResult();
        agent._process.Start();
        agent._process.BeginOutputReadLine();
        agent._process.BeginErrorReadLine();

        var consuming = agent._output.WaitForLineAsync(l => l.Contains($"agent {name} consuming", StringComparison.Ordinal));
        Task? first;
        try
        {
            first = await Task.WhenAny(consuming, exited.Task).WaitAsync(StartTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            first = null;
        }

        if (first != consuming)
        {
            var why = first == exited.Task ? "exited" : $"did not say it was consuming within {StartTimeout.TotalSeconds:0} s";
            await agent.DisposeAsync();
            throw new InvalidOperationException($"agent start --name {name} {why}. Its output:\n{agent.Output}");
        }

        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(bounded.Token);
        }

        _process.Dispose();
        _process = null;
    }
}
