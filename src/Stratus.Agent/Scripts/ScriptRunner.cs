using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Ctx;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Scripts;

/// <summary>
/// Cloudify's script plugin (<c>script_runner.tasks.run</c>): fetches the script, runs it as a child process with the
/// operation's inputs in its environment and a ctx proxy for it to call, and turns how it ended into the operation's
/// result: <c>ctx returns</c> value, or an abort (not retried), a retry request, or a failed process (retried).
/// </summary>
internal sealed partial class ScriptRunner(
    IOptions<AgentOptions> options,
    CtxProxyServer proxy,
    TimeProvider time,
    ILogger<ScriptRunner> logger)
{
    public const string TaskName = "script_runner.tasks.run";

    private static readonly SearchValues<char> UnsafeNameChars = SearchValues.Create("/\\:*?\"<>| ");

    public Task<JsonNode?> RunAsync(
        TaskContext context,
        JsonObject kwargs,
        IManagerApi api,
        CancellationToken cancellationToken = default) =>
        RunAsync(context, kwargs, api, workflow: null, cancellationToken);

    /// <summary>
    /// Runs the script; with <paramref name="workflow"/> it is a workflow script (<see cref="QueueNames.ExecuteWorkflowTask"/>)
    /// whose ctx is the workflow's and whose ctx calls may wait for operations (<c>CTX_TIMEOUT</c>).
    /// </summary>
    public async Task<JsonNode?> RunAsync(
        TaskContext context,
        JsonObject kwargs,
        IManagerApi api,
        WorkflowOperations? workflow,
        CancellationToken cancellationToken = default)
    {
        var scriptPath = JsonRead.String(kwargs["script_path"]);
        var scriptSource = JsonRead.String(kwargs["script_source"]);
        if (string.IsNullOrEmpty(scriptPath) && string.IsNullOrEmpty(scriptSource))
        {
            throw OperationException.NonRecoverable("Either script_path or script_source must be provided");
        }

        if (!string.IsNullOrEmpty(scriptPath) && !string.IsNullOrEmpty(scriptSource))
        {
            throw OperationException.NonRecoverable("Only provide script_path or script_source, not both");
        }

        var process = ProcessSettings.From(kwargs["process"]);
        var work = CreateWorkDirectory(context.TaskId);
        try
        {
            await using var log = new OperationLog(api, LogContext.From(context), time, options.Value.LogFlushInterval, logger);
            using var session = new CtxSession(context, api, log, work, kwargs, workflow);
            ProcessResult result;
            try
            {
                var script = !string.IsNullOrEmpty(scriptSource)
                    ? await WriteSourceAsync(scriptSource, process, work, cancellationToken)
                    : await FetchScriptAsync(scriptPath!, api, work, cancellationToken);
                result = await ExecuteAsync(script, context, kwargs, process, session, work, cancellationToken);
            }
            finally
            {
                // checkpoint: runtime properties are written whether the script succeeded or not, as Cloudify does.
                await session.FlushAsync(cancellationToken);
            }

            return Decide(result, session.Outcome, context);
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static JsonNode? Decide(ProcessResult result, ScriptOutcome outcome, TaskContext context)
    {
        if (outcome.DecidedTwice)
        {
            throw OperationException.NonRecoverable(ScriptOutcome.OnlyOnceMessage);
        }

        if (outcome.Aborted)
        {
            throw OperationException.NonRecoverable(outcome.AbortMessage ?? "None");
        }

        if (outcome.RetryRequested)
        {
            throw OperationException.Retry(outcome.RetryMessage ?? "Operation retry requested", outcome.RetryAfter);
        }

        if (result.TimedOut)
        {
            var message = $"Operation {context.Operation["name"]} timed out after {result.Timeout.TotalSeconds:0.###} seconds: {result.Command}";
            throw context.TimeoutRecoverable == true
                ? OperationException.Recoverable(message)
                : OperationException.NonRecoverable(message);
        }

        if (result.ExitCode != 0)
        {
            var message = new StringBuilder($"command: {result.Command}, exit_code: {result.ExitCode}");
            if (result.Stdout.Length > 0)
            {
                message.Append(", stdout: ").Append(result.Stdout);
            }

            if (result.Stderr.Length > 0)
            {
                message.Append(", stderr: ").Append(result.Stderr);
            }

            throw OperationException.Recoverable(message.ToString());
        }

        return outcome.ReturnValue;
    }

    private string CreateWorkDirectory(string taskId)
    {
        var safe = string.Concat(taskId.Select(c => UnsafeNameChars.Contains(c) ? '_' : c));
        var path = Path.Combine(options.Value.WorkDirectory, $"{safe}-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static async Task<string> FetchScriptAsync(string scriptPath, IManagerApi api, string work, CancellationToken cancellationToken)
    {
        var target = Path.Combine(work, "script", Path.GetFileName(scriptPath.Replace('\\', '/').TrimEnd('/')));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (scriptPath.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            var local = scriptPath["file://".Length..];
            if (!File.Exists(local))
            {
                throw OperationException.NonRecoverable($"Script not found: {scriptPath}");
            }

            File.Copy(local, target);
            return target;
        }

        if (scriptPath.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || scriptPath.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw OperationException.NonRecoverable($"Downloading scripts from URLs is not supported by this agent: {scriptPath}");
        }

        byte[] content;
        try
        {
            content = await api.DownloadBlueprintResourceAsync(scriptPath, cancellationToken);
        }
        catch (ManagerApiException ex) when (ex.IsNotFound)
        {
            throw OperationException.NonRecoverable($"Resource not found: {scriptPath}");
        }

        await File.WriteAllBytesAsync(target, content, cancellationToken);
        return target;
    }

    private async Task<string> WriteSourceAsync(string source, ProcessSettings process, string work, CancellationToken cancellationToken)
    {
        var isPython = process.EvalPython ?? await LooksLikePythonAsync(source, cancellationToken);
        var target = Path.Combine(work, "script", isPython ? "script.py" : "script.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target, source, cancellationToken);
        return target;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A process the script left behind may still hold a file; the folder is in the agent's temp area.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above: best-effort cleanup only.
        }
    }

    private sealed record ProcessResult(string Command, int ExitCode, bool TimedOut, TimeSpan Timeout, string Stdout, string Stderr);
}
