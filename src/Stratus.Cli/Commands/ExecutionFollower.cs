using Stratus.Cli.Output;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>
/// Prints an execution's events as they arrive (polling <c>/events</c> by <c>_offset</c>) until the execution ends,
/// then prints whatever was stored after the end was seen, so no line is lost to the race.
/// </summary>
internal static class ExecutionFollower
{
    public const int DefaultTimeoutSeconds = 900;
    private const int PageSize = 500;

    /// <summary>Each poll re-reads this many already-seen rows, so a line stored late with an earlier timestamp is not skipped.</summary>
    private const int Overlap = 50;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<FollowResult> FollowAsync(
        CommandContext context, StratusClient client, Execution execution, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var spinner = new Spinner(context.Console);
        var started = context.Time.GetTimestamp();
        var offset = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            offset = await PrintNewEventsAsync(context, client, execution.Id, offset, seen, spinner, cancellationToken);
            var current = await client.Executions.GetAsync(execution.Id, cancellationToken);
            if (current.IsEnded)
            {
                await PrintNewEventsAsync(context, client, execution.Id, offset, seen, spinner, cancellationToken);
                spinner.Clear();
                return new FollowResult(current, TimedOut: false);
            }

            if (context.Time.GetElapsedTime(started) > timeout)
            {
                spinner.Clear();
                return new FollowResult(current, TimedOut: true);
            }

            spinner.Tick($"{current.WorkflowId}: {current.Status} ({current.FinishedOperations ?? 0}/{current.TotalOperations ?? 0} operations)");
            await context.DelayAsync(PollInterval, cancellationToken);
        }
    }

    /// <summary>Waits for an execution without printing its events (e.g. <c>create_deployment_environment</c>).</summary>
    public static async Task<Execution> WaitAsync(
        CommandContext context, StratusClient client, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var spinner = new Spinner(context.Console);
        var started = context.Time.GetTimestamp();
        while (true)
        {
            var current = await client.Executions.GetAsync(executionId, cancellationToken);
            if (current.IsEnded)
            {
                spinner.Clear();
                return current;
            }

            if (context.Time.GetElapsedTime(started) > timeout)
            {
                spinner.Clear();
                throw new CliException($"timed out after {timeout.TotalSeconds:0} s waiting for execution {executionId} ({current.WorkflowId}, {current.Status})");
            }

            spinner.Tick($"{current.WorkflowId}: {current.Status}");
            await context.DelayAsync(PollInterval, cancellationToken);
        }
    }

    /// <summary>Reports the end of a followed execution the way <c>cfy</c> does; returns the exit code.</summary>
    public static int Report(CommandContext context, FollowResult result, string deploymentId)
    {
        var execution = result.Execution;
        var workflow = execution.WorkflowId;
        if (result.TimedOut)
        {
            context.Console.Error.WriteLine(
                $"Error: timed out waiting for workflow '{workflow}' of deployment '{deploymentId}' to end; it is still {execution.Status}. " +
                $"Follow it with 'stratus events list -e {execution.Id}'.");
            return CliApp.Failed;
        }

        switch (execution.Status)
        {
            case ExecutionStates.Terminated:
                context.Out.WriteLine($"Finished executing workflow {workflow} on deployment {deploymentId}");
                return CliApp.Ok;
            case ExecutionStates.Cancelled:
                context.Console.Error.WriteLine($"Error: execution of workflow {workflow} for deployment {deploymentId} was cancelled");
                return CliApp.Failed;
            default:
                context.Console.Error.WriteLine(
                    $"Error: execution of workflow {workflow} for deployment {deploymentId} failed. [error={execution.Error}]");
                context.Console.Error.WriteLine($"* Run 'stratus events list -e {execution.Id} --include-logs' for the full log.");
                return CliApp.Failed;
        }
    }

    private static async Task<int> PrintNewEventsAsync(
        CommandContext context,
        StratusClient client,
        string executionId,
        int offset,
        HashSet<string> seen,
        Spinner spinner,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var from = Math.Max(0, offset - Overlap);
            var query = new EventsQuery { ExecutionId = executionId, Offset = from, Size = PageSize, IncludeLogs = true };
            var page = await client.Events.ListAsync(query, cancellationToken);
            var fresh = page.Items.Where(e => seen.Add(Identity(e))).ToList();
            if (fresh.Count > 0)
            {
                spinner.Clear();
                foreach (var e in fresh)
                {
                    await context.Out.WriteLineAsync(EventFormatter.Format(e));
                }

                await context.Out.FlushAsync(cancellationToken);
            }

            offset = Math.Max(offset, from + page.Items.Count);
            if (page.Items.Count < PageSize || offset >= page.Metadata.Pagination.Total)
            {
                return offset;
            }
        }
    }

    private static string Identity(CloudifyEvent e) =>
        e.StorageId is { } id
            ? $"{e.Type}#{id}"
            : $"{e.Type}|{e.Timestamp:O}|{e.NodeInstanceId}|{e.Operation}|{e.EventTypeName}|{e.Message}";
}
