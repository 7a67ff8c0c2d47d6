using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

internal static class NodeInstanceCommands
{
    private static readonly string[] Columns = ["id", "deployment_id", "host_id", "node_id", "state", "tenant_name", "created_by"];

    private static readonly string[] NodeColumns =
        ["id", "deployment_id", "blueprint_id", "host_id", "type", "number_of_instances", "planned_number_of_instances"];

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("node-instances list", "List node instances", [],
        [
            OptionSpec.Value("deployment-id", "DEP", "only this deployment's instances", 'd'),
            OptionSpec.Value("node-name", "NODE", "only instances of this node"),
            OptionSpec.Json,
        ], ListAsync),
        new("node-instances get", "Show one node instance and its runtime properties", ["ID"], [OptionSpec.Json], GetAsync),
        new("nodes list", "List a deployment's nodes", [],
            [OptionSpec.Value("deployment-id", "DEP", "only this deployment's nodes", 'd'), OptionSpec.Json], NodesAsync),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deploymentId = context.Command.Value("deployment-id");
        var nodeId = context.Command.Value("node-name");
        var items = await Listing.AllAsync<NodeInstance>(
            (o, ct) => client.NodeInstances.ListAsync(deploymentId, nodeId, o, ct), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Node-instances:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(Row)));
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var instance = await client.NodeInstances.GetAsync(context.Command.Argument("ID"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, instance);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Node-instance:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(instance)]));
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync("Instance runtime properties:");
        foreach (var (name, value) in instance.RuntimeProperties ?? [])
        {
            await context.Out.WriteLineAsync($"\t{name}: {Cells.Value(value)}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> NodesAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deploymentId = context.Command.Value("deployment-id");
        var items = await Listing.AllAsync<Node>((o, ct) => client.Nodes.ListAsync(deploymentId, o, ct), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Nodes:");
        await context.Out.WriteAsync(TableRenderer.Render(NodeColumns, items.Select(n => new string?[]
        {
            n.Id, n.DeploymentId, n.BlueprintId, n.HostId, n.Type,
            n.NumberOfInstances.ToString(System.Globalization.CultureInfo.InvariantCulture),
            n.PlannedNumberOfInstances.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })));
        return CliApp.Ok;
    }

    private static string?[] Row(NodeInstance i) => [i.Id, i.DeploymentId, i.HostId, i.NodeId, i.State, i.TenantName, i.CreatedBy];
}
