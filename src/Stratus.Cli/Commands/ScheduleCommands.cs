using System.Text.Json.Nodes;
using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary><c>deployments schedule create|list|get|update|enable|disable|delete</c>, as cfy's.</summary>
internal static class ScheduleCommands
{
    private static readonly string[] Columns =
        ["id", "deployment_id", "workflow_id", "next_occurrence", "since", "until", "stop_on_fail", "enabled", "latest_execution_status"];

    private static readonly OptionSpec[] RuleOptions =
    [
        OptionSpec.Value("since", "TIME", "first run, UTC (YYYY-MM-DD HH:MM:SS)", 's'),
        OptionSpec.Value("until", "TIME", "no run after this time, UTC", 'u'),
        OptionSpec.Value("recurrence", "EXPR", "e.g. '1 hour', '2 weeks', '1 month'", 'r'),
        OptionSpec.Value("count", "N", "run at most N times", 'c'),
        OptionSpec.Many("weekdays", "DAY", "MO..SU, or 1MO..4MO / L-MO with a months|years recurrence (repeatable)"),
        OptionSpec.Value("rrule", "RRULE", "an RFC 5545 rule instead of recurrence/count/weekdays"),
        OptionSpec.Value("slip", "MINUTES", "how late a run may still start"),
        OptionSpec.Value("stop-on-fail", "true|false", "disable the schedule once a run fails"),
    ];

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("deployments schedule create", "Schedule a workflow on a deployment", ["DEPLOYMENT_ID", "WORKFLOW_ID"],
            [OptionSpec.Value("schedule-name", "NAME", "the schedule's id (default: the workflow id)", 'n'),
             OptionSpec.Many("parameters", "PARAM", "workflow parameters: key=value[;k=v], JSON or a file (repeatable)", 'p'),
             .. RuleOptions], CreateAsync),
        new("deployments schedule update", "Change a schedule's times or rule", ["DEPLOYMENT_ID", "SCHEDULE_ID"], RuleOptions, UpdateAsync),
        new("deployments schedule enable", "Enable a schedule", ["DEPLOYMENT_ID", "SCHEDULE_ID"], [], (c, t) => SetEnabledAsync(c, true, t)),
        new("deployments schedule disable", "Disable a schedule", ["DEPLOYMENT_ID", "SCHEDULE_ID"], [], (c, t) => SetEnabledAsync(c, false, t)),
        new("deployments schedule list", "List schedules", ["DEPLOYMENT_ID?"], [OptionSpec.Json], ListAsync),
        new("deployments schedule get", "Show one schedule and its next occurrences", ["DEPLOYMENT_ID", "SCHEDULE_ID"], [OptionSpec.Json], GetAsync),
        new("deployments schedule delete", "Delete a schedule", ["DEPLOYMENT_ID", "SCHEDULE_ID"], [], DeleteAsync),
    ];

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var deploymentId = command.Argument("DEPLOYMENT_ID");
        var workflowId = command.Argument("WORKFLOW_ID");
        var name = command.Value("schedule-name") ?? workflowId;
        var fields = RuleFields(command);
        fields["workflow_id"] = workflowId;
        if (command.Values("parameters").Count > 0)
        {
            fields["parameters"] = InputsParser.Parse(command.Values("parameters"), command.Spec);
        }

        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync($"Creating a schedule for workflow `{workflowId}` on deployment `{deploymentId}`: {name}");
        await client.ExecutionSchedules.CreateAsync(name, deploymentId, fields, cancellationToken);
        await context.Out.WriteLineAsync("Deployment schedule created successfully");
        return CliApp.Ok;
    }

    private static async Task<int> UpdateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (deploymentId, scheduleId) = (context.Command.Argument("DEPLOYMENT_ID"), context.Command.Argument("SCHEDULE_ID"));
        var client = await context.ClientAsync(cancellationToken);
        await client.ExecutionSchedules.UpdateAsync(scheduleId, deploymentId, RuleFields(context.Command), cancellationToken);
        await context.Out.WriteLineAsync("Deployment schedule updated successfully");
        return CliApp.Ok;
    }

    private static async Task<int> SetEnabledAsync(CommandContext context, bool enabled, CancellationToken cancellationToken)
    {
        var (deploymentId, scheduleId) = (context.Command.Argument("DEPLOYMENT_ID"), context.Command.Argument("SCHEDULE_ID"));
        var client = await context.ClientAsync(cancellationToken);
        await client.ExecutionSchedules.UpdateAsync(scheduleId, deploymentId, new JsonObject { ["enabled"] = enabled }, cancellationToken);
        await context.Out.WriteLineAsync($"Schedule `{scheduleId}` on deployment `{deploymentId}` was {(enabled ? "enabled" : "disabled")}");
        return CliApp.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deploymentId = context.Command.OptionalArgument("DEPLOYMENT_ID");
        var items = await Listing.AllAsync<ExecutionSchedule>(
            (o, ct) => client.ExecutionSchedules.ListAsync(deploymentId, o, ct), cancellationToken, new Client.ListOptions { Sort = ["created_at"] });
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Deployment schedules:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(Row)));
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (deploymentId, scheduleId) = (context.Command.Argument("DEPLOYMENT_ID"), context.Command.Argument("SCHEDULE_ID"));
        var client = await context.ClientAsync(cancellationToken);
        var schedule = await client.ExecutionSchedules.GetAsync(scheduleId, deploymentId, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, schedule);
            return CliApp.Ok;
        }

        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(schedule)]));
        var upcoming = schedule.AllNextOccurrences ?? [];
        await context.Out.WriteLineAsync($"Computed {upcoming.Count} upcoming occurrences. Listing the first 5:");
        foreach (var time in upcoming.Take(5))
        {
            await context.Out.WriteLineAsync($"\t{time}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (deploymentId, scheduleId) = (context.Command.Argument("DEPLOYMENT_ID"), context.Command.Argument("SCHEDULE_ID"));
        var client = await context.ClientAsync(cancellationToken);
        await client.ExecutionSchedules.DeleteAsync(scheduleId, deploymentId, cancellationToken);
        await context.Out.WriteLineAsync($"Schedule `{scheduleId}` on deployment `{deploymentId}` deleted");
        return CliApp.Ok;
    }

    /// <summary>The rule fields given on the command line, named as the REST API names them.</summary>
    private static JsonObject RuleFields(ParsedCommand command)
    {
        var fields = new JsonObject();
        foreach (var (option, field) in new[] { ("since", "since"), ("until", "until"), ("recurrence", "recurrence"), ("rrule", "rrule") })
        {
            if (command.Value(option) is { } value)
            {
                fields[field] = value;
            }
        }

        if (command.Int("count") is { } count)
        {
            fields["count"] = count;
        }

        if (command.Int("slip") is { } slip)
        {
            fields["slip"] = slip;
        }

        if (command.Value("stop-on-fail") is { } stop)
        {
            fields["stop_on_fail"] = stop;
        }

        if (command.Values("weekdays").Count > 0)
        {
            fields["weekdays"] = new JsonArray([.. command.Values("weekdays").Select(d => (JsonNode?)JsonValue.Create(d))]);
        }

        return fields;
    }

    private static string?[] Row(ExecutionSchedule s) =>
        [s.Id, s.DeploymentId, s.WorkflowId, s.NextOccurrence, s.Since, s.Until, s.StopOnFail ? "True" : "False", s.Enabled ? "True" : "False", s.LatestExecutionStatus];
}
