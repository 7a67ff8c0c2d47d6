using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

internal static class EventCommands
{
    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("events list", "Print an execution's events (and logs with --include-logs)", [],
        [
            OptionSpec.Value("execution-id", "EXEC", "the execution", 'e'),
            OptionSpec.Flag("include-logs", "also print log lines", 'l'),
            OptionSpec.Flag("tail", "keep printing new events and logs until the execution ends", 't'),
            OptionSpec.Json,
        ], ListAsync),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var executionId = context.Command.Required("execution-id");
        var includeLogs = context.Command.Has("include-logs");
        if (context.Command.Has("tail"))
        {
            var execution = await client.Executions.GetAsync(executionId, cancellationToken);
            await context.Out.WriteLineAsync($"Tailing events of execution {executionId} ({execution.WorkflowId}, {execution.Status})");
            var timeout = TimeSpan.FromSeconds(ExecutionFollower.DefaultTimeoutSeconds);
            var result = await ExecutionFollower.FollowAsync(context, client, execution, timeout, cancellationToken);
            return ExecutionFollower.Report(context, result, execution.DeploymentId ?? "");
        }

        var events = new List<CloudifyEvent>();
        var offset = 0;
        while (true)
        {
            var query = new EventsQuery { ExecutionId = executionId, IncludeLogs = includeLogs, Offset = offset, Size = 1000 };
            var page = await client.Events.ListAsync(query, cancellationToken);
            events.AddRange(page.Items);
            offset += page.Items.Count;
            if (page.Items.Count == 0 || offset >= page.Metadata.Pagination.Total)
            {
                break;
            }
        }

        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, events);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync($"Listing events for execution id {executionId} [include_logs={includeLogs}]");
        foreach (var e in events)
        {
            await context.Out.WriteLineAsync(EventFormatter.Format(e));
        }

        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync($"Total events: {events.Count}");
        return CliApp.Ok;
    }
}
