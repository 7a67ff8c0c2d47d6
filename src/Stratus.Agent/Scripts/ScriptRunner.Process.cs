using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Stratus.Agent.Ctx;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Scripts;

/// <summary>Running the script process: command line, environment, output streaming, timeout.</summary>
internal sealed partial class ScriptRunner
{
    private const int TailChars = 4000;

    private async Task<ProcessResult> ExecuteAsync(
        string script,
        TaskContext context,
        JsonObject kwargs,
        ProcessSettings process,
        CtxSession session,
        string work,
        CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        }

        var bin = Path.Combine(work, "bin");
        await ScriptResources.WriteCtxCommandAsync(bin, cancellationToken);
        var extraEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        var command = await BuildCommandAsync(script, kwargs, process, work, extraEnvironment, cancellationToken);
        if (session.ContextType == CtxSession.WorkflowType)
        {
            // A workflow script's ctx call may wait for an operation to end: the ctx clients' 30 s default is too short.
            extraEnvironment["CTX_TIMEOUT"] = ((long)options.Value.WorkflowCtxTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        session.ScriptDirectory = process.Cwd ?? work;
        using var registration = process.CtxProxyType == "none" ? null : await proxy.RegisterAsync(session, cancellationToken);
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = process.Cwd ?? work,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(process.StderrToStdout ? command + " 2>&1" : command);
        ConfigureEnvironment(start.Environment, kwargs, process, bin, registration?.Url, extraEnvironment);
        return await RunProcessAsync(start, command, context, process, session.Log, cancellationToken);
    }

    private async Task<string> BuildCommandAsync(
        string script,
        JsonObject kwargs,
        ProcessSettings process,
        string work,
        Dictionary<string, string> extraEnvironment,
        CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(script);

        // Cloudify's worker has its `cloudify` package importable by every script and every Python it starts; here a
        // shim whose ctx talks to the same proxy stands in, with the inputs as cloudify.state.ctx_parameters.
        var shim = Path.Combine(work, "python");
        await ScriptResources.WritePythonShimAsync(shim, cancellationToken);
        var parameters = Path.Combine(work, "ctx_parameters.json");
        await File.WriteAllTextAsync(parameters, ScriptEnvironment.Parameters(kwargs).ToJsonString(), cancellationToken);
        var inherited = Environment.GetEnvironmentVariable("PYTHONPATH");
        extraEnvironment["PYTHONPATH"] = string.IsNullOrEmpty(inherited) ? shim : shim + Path.PathSeparator + inherited;
        extraEnvironment["STRATUS_CTX_PARAMETERS_FILE"] = parameters;

        string command;
        if (process.EvalPython == true || (process.EvalPython is null && extension.Equals(".py", StringComparison.OrdinalIgnoreCase)))
        {
            // Cloudify runs these inside its worker; here they run in python3, mapping Cloudify's exceptions to ctx calls.
            command = $"{options.Value.PythonExecutable} {Quote(Path.Combine(shim, "stratus_run_script.py"))} {Quote(script)}";
        }
        else
        {
            var prefix = process.CommandPrefix;
            if (prefix is null && extension.Equals(".ps1", StringComparison.OrdinalIgnoreCase))
            {
                prefix = "powershell";
            }
            else if (prefix is null && extension.Equals(".sh", StringComparison.OrdinalIgnoreCase) && !await HasShebangAsync(script, cancellationToken))
            {
                prefix = "bash";
            }

            command = prefix is null ? Quote(script) : $"{prefix} {Quote(script)}";
        }

        return process.Args.Count > 0 ? command + " " + string.Join(' ', process.Args) : command;
    }

    private void ConfigureEnvironment(
        IDictionary<string, string?> environment,
        JsonObject kwargs,
        ProcessSettings process,
        string bin,
        Uri? ctxUrl,
        Dictionary<string, string> extraEnvironment)
    {
        foreach (var name in environment.Keys.ToList())
        {
            if (options.Value.ScrubbedEnvironmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                environment.Remove(name);
            }
        }

        // As Cloudify's agent daemons export it: which agent runs the script (cloudify.management on the manager).
        environment["AGENT_NAME"] = options.Value.Name;
        if (!environment.TryGetValue("TMPDIR", out var tmp) || string.IsNullOrEmpty(tmp))
        {
            environment["TMPDIR"] = Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar);
        }

        foreach (var (name, value) in ScriptEnvironment.FromInputs(kwargs, process))
        {
            environment[name] = value;
        }

        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        environment["CTX_SOCKET_URL"] = ctxUrl?.ToString() ?? string.Empty;
        environment.TryGetValue("PATH", out var path);
        environment["PATH"] = string.IsNullOrEmpty(path) ? bin : bin + Path.PathSeparator + path;
    }

    private async Task<ProcessResult> RunProcessAsync(
        ProcessStartInfo start,
        string command,
        TaskContext context,
        ProcessSettings process,
        OperationLog log,
        CancellationToken cancellationToken)
    {
        var timeout = context.Timeout is > 0 ? TimeSpan.FromSeconds(context.Timeout.Value) : options.Value.DefaultOperationTimeout;
        var stdout = new OutputTail(TailChars);
        var stderr = new OutputTail(TailChars);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The script process did not start.");
        child.StandardInput.Close();
        log.Log("info", $"Process created, PID: {child.Id}");
        var pumps = Task.WhenAll(
            PumpAsync(child.StandardOutput, "<out> ", process.LogStdout, stdout, log),
            PumpAsync(child.StandardError, "<err> ", process.LogStderr, stderr, log));

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var timedOut = false;
        try
        {
            await child.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(child);
            await child.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        try
        {
            await pumps.WaitAsync(options.Value.OutputDrainTimeout, time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A background process the script started still holds the output pipe; its output is not ours to wait for.
        }

        log.Log("info", $"Execution done (PID={child.Id}, return_code={child.ExitCode}): {command}");
        return new ProcessResult(command, child.ExitCode, timedOut, timeout, stdout.ToString(), stderr.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, string prefix, bool forward, OutputTail tail, OperationLog log)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            tail.Append(line);
            if (forward)
            {
                log.Log("info", prefix + line);
            }
        }
    }

    private void KillTree(Process child)
    {
        try
        {
            child.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            LogKillFailed(logger, child.Id, ex.Message);
        }
    }

    private static async Task<bool> HasShebangAsync(string script, CancellationToken cancellationToken)
    {
        var buffer = new byte[2];
        await using var file = File.OpenRead(script);
        return await file.ReadAtLeastAsync(buffer, 2, throwOnEndOfStream: false, cancellationToken) == 2
            && buffer[0] == '#' && buffer[1] == '!';
    }

    /// <summary>Cloudify's rule for <c>script_source</c>: Python if the text parses as Python.</summary>
    private async Task<bool> LooksLikePythonAsync(string source, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.PythonExecutable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import ast, sys; ast.parse(sys.stdin.read())");
        try
        {
            using var check = Process.Start(start);
            if (check is null)
            {
                return false;
            }

            await check.StandardInput.WriteAsync(source.AsMemory(), cancellationToken);
            check.StandardInput.Close();
            await check.WaitForExitAsync(cancellationToken);
            return check.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not kill the process tree of script process {Pid}: {Reason}")]
    private static partial void LogKillFailed(ILogger logger, int pid, string reason);
}
