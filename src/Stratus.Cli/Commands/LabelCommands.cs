using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>deployments labels</c> and <c>blueprints labels</c> list|add|delete, as cfy's: read the labels, change the set,
/// PATCH it back.
/// </summary>
internal static class LabelCommands
{
    private static readonly Kind Deployment = new(
        "deployment",
        async (client, id, ct) => (await client.Deployments.GetAsync(id, ct)).Labels,
        (client, id, labels, ct) => client.Deployments.UpdateLabelsAsync(id, labels, ct));

    private static readonly Kind Blueprint = new(
        "blueprint",
        async (client, id, ct) => (await client.Blueprints.GetAsync(id, ct)).Labels,
        (client, id, labels, ct) => client.Blueprints.UpdateLabelsAsync(id, labels, ct));

    public static IEnumerable<CommandSpec> Specs() => [.. Specs(Deployment), .. Specs(Blueprint)];

    private static IEnumerable<CommandSpec> Specs(Kind kind) =>
    [
        new($"{kind.Name}s labels list", $"List the labels of a {kind.Name}", ["ID"], [OptionSpec.Json], (c, ct) => ListAsync(kind, c, ct)),
        new($"{kind.Name}s labels add", $"Add labels (<key>:<value>,<key>:<value>) to a {kind.Name}", ["LABELS", "ID"], [], (c, ct) => AddAsync(kind, c, ct)),
        new($"{kind.Name}s labels delete", $"Delete labels (<key>:<value> or a bare <key> for all its values) from a {kind.Name}",
            ["LABEL", "ID"], [], (c, ct) => DeleteAsync(kind, c, ct)),
    ];

    private static async Task<int> ListAsync(Kind kind, CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("ID");
        var client = await context.ClientAsync(cancellationToken);
        var labels = await kind.GetAsync(client, id, cancellationToken) ?? [];
        var byKey = labels.GroupBy(l => l.Key, StringComparer.Ordinal).ToList();
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, byKey.ToDictionary(g => g.Key, g => g.Select(l => l.Value).ToList(), StringComparer.Ordinal));
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync($"Listing labels of {kind.Name} {id}...");
        await context.Out.WriteLineAsync($"{char.ToUpperInvariant(kind.Name[0])}{kind.Name[1..]} labels:");
        await context.Out.WriteAsync(TableRenderer.Render(
            ["key", "values"], byKey.Select(g => new[] { g.Key, string.Join(", ", g.Select(l => Quote(l.Value))) })));
        return CliApp.Ok;
    }

    private static async Task<int> AddAsync(Kind kind, CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("ID");
        var wanted = LabelsParser.ParsePairs(context.Command.Argument("LABELS"));
        var client = await context.ClientAsync(cancellationToken);
        var current = Pairs(await kind.GetAsync(client, id, cancellationToken));
        var added = wanted.Where(w => !current.Contains(w)).Distinct().ToList();
        if (added.Count == 0)
        {
            await context.Out.WriteLineAsync($"The provided labels are already assigned to {kind.Name} {id}. No labels were added.");
            return CliApp.Ok;
        }

        await kind.UpdateAsync(client, id, [.. current, .. added], cancellationToken);
        await context.Out.WriteLineAsync($"The following label(s) were added successfully to {kind.Name} {id}: {Describe(added)}");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(Kind kind, CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("ID");
        var asked = LabelsParser.Parse(context.Command.Argument("LABEL"), allowOnlyKey: true);
        var client = await context.ClientAsync(cancellationToken);
        var current = Pairs(await kind.GetAsync(client, id, cancellationToken));
        var keys = asked.Where(a => a.Value is null).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var removed = current.Where(c => keys.Contains(c.Key) || asked.Contains(KeyValuePair.Create(c.Key, (string?)c.Value))).ToList();
        if (removed.Count == 0)
        {
            await context.Out.WriteLineAsync($"The provided labels are not assigned to {kind.Name} {id}. No labels were deleted.");
            return CliApp.Ok;
        }

        await kind.UpdateAsync(client, id, [.. current.Except(removed)], cancellationToken);
        await context.Out.WriteLineAsync($"The following label(s) were deleted successfully from {kind.Name} {id}: {Describe(removed)}");
        return CliApp.Ok;
    }

    /// <summary>A labelled resource kind: its name in messages, how to read its labels and how to replace them.</summary>
    private sealed record Kind(
        string Name,
        Func<StratusClient, string, CancellationToken, Task<IReadOnlyList<Label>?>> GetAsync,
        Func<StratusClient, string, IReadOnlyList<KeyValuePair<string, string>>, CancellationToken, Task> UpdateAsync);

    private static List<KeyValuePair<string, string>> Pairs(IReadOnlyList<Label>? labels) =>
        [.. (labels ?? []).Select(l => KeyValuePair.Create(l.Key, l.Value))];

    private static string Describe(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join(", ", labels.Select(l => $"{l.Key}:{l.Value}"));

    /// <summary>cfy shows each value quoted, with <c>,</c> <c>:</c> and <c>$</c> escaped as its flag syntax needs.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace(",", "\\,", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";
}
