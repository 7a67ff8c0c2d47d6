using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>deployments groups list/create/update/delete/extend/shrink</c> (existing deployments only).</summary>
internal static class DeploymentGroupCommands
{
    private static readonly string[] Columns = ["id", "deployments", "description", "default_blueprint_id"];

    private static readonly OptionSpec DeploymentIds = OptionSpec.Many("deployment-id", "ID", "a deployment to add or remove (repeatable)", 'd');

    private static readonly OptionSpec FromGroup = OptionSpec.Value("from-group", "GROUP", "the deployments of this other group");

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("deployments groups list", "List deployment groups", [], [OptionSpec.Json], ListAsync),
        new("deployments groups create", "Create a deployment group", ["GROUP"], Attributes(), PutAsync),
        new("deployments groups update", "Change a deployment group's description, default blueprint or inputs", ["GROUP"], Attributes(), PutAsync),
        new("deployments groups extend", "Add deployments to a group", ["GROUP"], [DeploymentIds, FromGroup], ExtendAsync),
        new("deployments groups shrink", "Remove deployments from a group", ["GROUP"], [DeploymentIds, FromGroup], ShrinkAsync),
        new(
            "deployments groups delete",
            "Delete a deployment group (its deployments stay unless --delete-deployments)",
            ["GROUP"],
            [OptionSpec.Flag("delete-deployments", "also delete every deployment of the group"), OptionSpec.Flag("force", "delete deployments even if they have live nodes", 'f')],
            DeleteAsync),
    ];

    private static OptionSpec[] Attributes() =>
    [
        DeploymentCommands.Inputs,
        OptionSpec.Value("default-blueprint", "BP", "the blueprint new deployments of the group use", 'b'),
        OptionSpec.Value("description", "TEXT", "what the group is for"),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var groups = await Listing.AllAsync(client.DeploymentGroups.ListAsync, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, groups);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Deployment groups:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, groups.Select(Row)));
        return CliApp.Ok;
    }

    private static async Task<int> PutAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("GROUP");
        var inputs = context.Command.Values("inputs").Count > 0 ? InputsParser.Parse(context.Command.Values("inputs"), context.Command.Spec) : null;
        var client = await context.ClientAsync(cancellationToken);
        await client.DeploymentGroups.PutAsync(
            id, context.Command.Value("description"), context.Command.Value("default-blueprint"), inputs, null, cancellationToken);
        await context.Out.WriteLineAsync(context.Command.Spec.Path.EndsWith("create", StringComparison.Ordinal) ? $"Group {id} created" : $"Group {id} updated");
        return CliApp.Ok;
    }

    private static async Task<int> ExtendAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (id, ids, from) = Members(context);
        var client = await context.ClientAsync(cancellationToken);
        var group = await client.DeploymentGroups.AddDeploymentsAsync(id, ids, from, cancellationToken);
        await context.Out.WriteLineAsync($"Group {id} updated. It now contains {group.DeploymentIds.Count} deployments");
        return CliApp.Ok;
    }

    private static async Task<int> ShrinkAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (id, ids, from) = Members(context);
        var client = await context.ClientAsync(cancellationToken);
        var group = await client.DeploymentGroups.RemoveDeploymentsAsync(id, ids, from, cancellationToken);
        var what = string.Join(", ", new[] { ids.Count > 0 ? string.Join(", ", ids) : null, from is null ? null : $"belonging to the group {from}" }.OfType<string>());
        await context.Out.WriteLineAsync($"Unlinked deployments {what}. Group {id} now has {group.DeploymentIds.Count} deployments");
        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Command.Argument("GROUP");
        var client = await context.ClientAsync(cancellationToken);
        await client.DeploymentGroups.DeleteAsync(id, context.Command.Has("delete-deployments"), context.Command.Has("force"), cancellationToken);
        await context.Out.WriteLineAsync($"Group {id} deleted");
        return CliApp.Ok;
    }

    private static (string Id, IReadOnlyList<string> Ids, string? From) Members(CommandContext context)
    {
        var ids = context.Command.Values("deployment-id");
        var from = context.Command.Value("from-group");
        return ids.Count == 0 && from is null
            ? throw new UsageException("give the deployments: --deployment-id ID (repeatable) or --from-group GROUP", context.Command.Spec)
            : (context.Command.Argument("GROUP"), ids, from);
    }

    private static string?[] Row(DeploymentGroup g) => [g.Id, g.DeploymentIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Description, g.DefaultBlueprintId];
}
