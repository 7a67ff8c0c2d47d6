using System.Text.Json.Nodes;
using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

/// <summary>cfy's <c>deployments modifications list/get/rollback</c>: the columns flatten the context (workflow and execution).</summary>
internal static class ModificationCommands
{
    private static readonly string[] Columns = ["id", "workflow_id", "execution_id", "status", "tenant_name", "created_at", "visibility"];

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("deployments modifications list", "List the modifications (scale) of a deployment", ["DEPLOYMENT_ID"], [OptionSpec.Json], ListAsync),
        new("deployments modifications get", "Show one deployment modification and the instances it added or removed", ["MODIFICATION_ID"], [OptionSpec.Json], GetAsync),
        new("deployments modifications rollback", "Roll back a started deployment modification", ["MODIFICATION_ID"], [OptionSpec.Json], RollbackAsync),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var deploymentId = context.Command.Argument("DEPLOYMENT_ID");
        var client = await context.ClientAsync(cancellationToken);
        var items = await Listing.AllAsync((o, ct) => client.DeploymentModifications.ListAsync(deploymentId, o, ct), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync($"Listing modifications of the deployment {deploymentId}...");
        await context.Out.WriteLineAsync("Deployment modifications:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(Row)));
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        return await PrintAsync(context, await client.DeploymentModifications.GetAsync(context.Command.Argument("MODIFICATION_ID"), cancellationToken));
    }

    private static async Task<int> RollbackAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        return await PrintAsync(context, await client.DeploymentModifications.RollbackAsync(context.Command.Argument("MODIFICATION_ID"), cancellationToken));
    }

    private static async Task<int> PrintAsync(CommandContext context, DeploymentModification m)
    {
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, m);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Deployment Modification:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(m)]));
        if (m.ModifiedNodes is { Count: > 0 } nodes)
        {
            await WriteListAsync(context, "Modified nodes:", nodes.Select(n => n.Key));
        }

        await InstancesAsync(context, m, "before_modification", "Node instances before modifications:", modifiedOnly: false);
        await InstancesAsync(context, m, "before_rollback", "Node instances before rollback:", modifiedOnly: false);
        await InstancesAsync(context, m, "added_and_related", "Added node instances:", modifiedOnly: true);
        await InstancesAsync(context, m, "removed_and_related", "Removed node instances:", modifiedOnly: true);
        return CliApp.Ok;
    }

    private static async Task InstancesAsync(CommandContext context, DeploymentModification m, string list, string title, bool modifiedOnly)
    {
        if (m.NodeInstances?[list] is not JsonArray { Count: > 0 } items)
        {
            return;
        }

        await context.Out.WriteLineAsync();
        await WriteListAsync(
            context,
            title,
            items.OfType<JsonObject>().Where(i => !modifiedOnly || i["modification"] is not null).Select(i => $"{Cells.Value(i["id"])} ({Cells.Value(i["node_id"])})"));
    }

    private static async Task WriteListAsync(CommandContext context, string title, IEnumerable<string> items)
    {
        await context.Out.WriteLineAsync(title);
        foreach (var item in items)
        {
            await context.Out.WriteLineAsync("  " + item);
        }
    }

    private static string?[] Row(DeploymentModification m) =>
    [
        m.Id, Cells.Value(m.Context?["workflow_id"]), Cells.Value(m.Context?["execution_id"]), m.Status, m.TenantName, Cells.Time(m.CreatedAt), m.Visibility,
    ];
}
