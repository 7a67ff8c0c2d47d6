using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary><c>deployments labels list|add|delete</c>, as <c>cfy deployments labels</c>: read the labels, change the set, PATCH it back.</summary>
internal static class DeploymentLabelCommands
{
    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("deployments labels list", "List the labels of a deployment", ["DEPLOYMENT_ID"], [OptionSpec.Json], ListAsync),
        new("deployments labels add", "Add labels (<key>:<value>,<key>:<value>) to a deployment", ["LABELS", "DEPLOYMENT_ID"], [], AddAsync),
        new("deployments labels delete", "Delete labels (<key>:<value> or a bare <key> for all its values) from a deployment",
            ["LABEL", "DEPLOYMENT_ID"], [], DeleteAsync),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("DEPLOYMENT_ID");
        var client = await context.ClientAsync(cancellationToken);
        var labels = (await client.Deployments.GetAsync(id, cancellationToken)).Labels ?? [];
        var byKey = labels.GroupBy(l => l.Key, StringComparer.Ordinal).ToList();
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, byKey.ToDictionary(g => g.Key, g => g.Select(l => l.Value).ToList(), StringComparer.Ordinal));
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync($"Listing labels of deployment {id}...");
        await context.Out.WriteLineAsync("Deployment labels:");
        await context.Out.WriteAsync(TableRenderer.Render(
            ["key", "values"], byKey.Select(g => new[] { g.Key, string.Join(", ", g.Select(l => Quote(l.Value))) })));
        return CliApp.Ok;
    }

    private static async Task<int> AddAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("DEPLOYMENT_ID");
        var wanted = LabelsParser.ParsePairs(context.Command.Argument("LABELS"));
        var client = await context.ClientAsync(cancellationToken);
        var current = Pairs((await client.Deployments.GetAsync(id, cancellationToken)).Labels);
        var added = wanted.Where(w => !current.Contains(w)).Distinct().ToList();
        if (added.Count == 0)
        {
            await context.Out.WriteLineAsync($"The provided labels are already assigned to deployment {id}. No labels were added.");
            return CliApp.Ok;
        }

        await client.Deployments.UpdateLabelsAsync(id, [.. current, .. added], cancellationToken);
        await context.Out.WriteLineAsync($"The following label(s) were added successfully to deployment {id}: {Describe(added)}");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("DEPLOYMENT_ID");
        var asked = LabelsParser.Parse(context.Command.Argument("LABEL"), allowOnlyKey: true);
        var client = await context.ClientAsync(cancellationToken);
        var current = Pairs((await client.Deployments.GetAsync(id, cancellationToken)).Labels);
        var keys = asked.Where(a => a.Value is null).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var removed = current.Where(c => keys.Contains(c.Key) || asked.Contains(KeyValuePair.Create(c.Key, (string?)c.Value))).ToList();
        if (removed.Count == 0)
        {
            await context.Out.WriteLineAsync($"The provided labels are not assigned to deployment {id}. No labels were deleted.");
            return CliApp.Ok;
        }

        await client.Deployments.UpdateLabelsAsync(id, [.. current.Except(removed)], cancellationToken);
        await context.Out.WriteLineAsync($"The following label(s) were deleted successfully from deployment {id}: {Describe(removed)}");
        return CliApp.Ok;
    }

    private static List<KeyValuePair<string, string>> Pairs(IReadOnlyList<Label>? labels) =>
        [.. (labels ?? []).Select(l => KeyValuePair.Create(l.Key, l.Value))];

    private static string Describe(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join(", ", labels.Select(l => $"{l.Key}:{l.Value}"));

    /// <summary>cfy shows each value quoted, with <c>,</c> <c>:</c> and <c>$</c> escaped as its flag syntax needs.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace(",", "\\,", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";
}
