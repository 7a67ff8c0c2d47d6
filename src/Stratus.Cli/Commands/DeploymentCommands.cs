using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

internal static class DeploymentCommands
{
    private static readonly string[] Columns =
        ["id", "display_name", "blueprint_id", "created_at", "updated_at", "visibility", "tenant_name", "created_by", "installation_status", "deployment_status"];

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(5);

    public static readonly OptionSpec Inputs =
        OptionSpec.Many("inputs", "INPUT", "key=value[;k=v], a JSON object, or a YAML/JSON file (repeatable)", 'i');

    public static readonly OptionSpec RuntimeOnlyEvaluation =
        OptionSpec.Flag("runtime-only-evaluation", "keep intrinsic functions raw and evaluate them whenever they are read");

    public static readonly OptionSpec AutoCorrectTypes =
        OptionSpec.Flag("auto-correct-types", "convert string inputs to their declared integer, float or boolean type");

    public static readonly OptionSpec Labels =
        OptionSpec.Value("labels", "LABELS", "labels to attach: <key>:<value>,<key>:<value> (escape , and : in a value with \\)");

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("deployments create", "Create a deployment from a blueprint", ["ID?"],
            [OptionSpec.Value("blueprint-id", "BP", "the blueprint to deploy", 'b'), Inputs, RuntimeOnlyEvaluation, AutoCorrectTypes, Labels], CreateAsync),
        new("deployments list", "List deployments", [],
            [OptionSpec.Value("blueprint-id", "BP", "only this blueprint's deployments", 'b'), OptionSpec.Json], ListAsync),
        new("deployments get", "Show one deployment", ["ID"], [OptionSpec.Json], GetAsync),
        new("deployments delete", "Delete a deployment (waits until it is gone)", ["ID"],
            [OptionSpec.Flag("force", "delete even if it has live node instances", 'f')], DeleteAsync),
        new("deployments outputs", "Show a deployment's evaluated outputs", ["ID"], [OptionSpec.Json], OutputsAsync),
        new("deployments capabilities", "Show a deployment's evaluated capabilities", ["ID"], [OptionSpec.Json], CapabilitiesAsync),
    ];

    /// <summary>Creates the deployment and waits for its environment to be ready, so a workflow can start right away.</summary>
    public static async Task<Deployment> CreateAsync(
        CommandContext context, string deploymentId, string blueprintId, JsonObject inputs, CancellationToken cancellationToken)
    {
        var options = new DeploymentCreateOptions
        {
            RuntimeOnlyEvaluation = context.Command.Has("runtime-only-evaluation"),
            AutoCorrectTypes = context.Command.Has("auto-correct-types"),
            Labels = context.Command.Value("labels") is { } labels ? LabelsParser.ParsePairs(labels) : [],
        };
        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync($"Creating new deployment from blueprint {blueprintId}...");
        var deployment = await client.Deployments.CreateAsync(deploymentId, blueprintId, inputs, options, cancellationToken);
        if (deployment.CreateExecution is { } creation)
        {
            var execution = await ExecutionFollower.WaitAsync(context, client, creation, WaitTimeout, cancellationToken);
            if (execution.Status != ExecutionStates.Terminated)
            {
                throw new CliException($"creating deployment {deploymentId} ended {execution.Status}: {execution.Error}");
            }
        }

        await context.Out.WriteLineAsync($"Deployment created. The deployment's id is {deployment.Id}");
        return deployment;
    }

    /// <summary>Asks for deletion, then waits until <c>GET /deployments/{id}</c> answers 404.</summary>
    public static async Task DeleteAndWaitAsync(CommandContext context, string deploymentId, bool force, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync($"Trying to delete deployment {deploymentId}...");
        await client.Deployments.DeleteAsync(deploymentId, force, cancellationToken);
        var spinner = new Spinner(context.Console);
        var started = context.Time.GetTimestamp();
        try
        {
            while (true)
            {
                try
                {
                    await client.Deployments.GetAsync(deploymentId, cancellationToken);
                }
                catch (StratusApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    break;
                }

                if (context.Time.GetElapsedTime(started) > WaitTimeout)
                {
                    throw new CliException($"deployment {deploymentId} is still being deleted after {WaitTimeout.TotalMinutes:0} minutes");
                }

                spinner.Tick($"deleting deployment {deploymentId}");
                await context.DelayAsync(TimeSpan.FromMilliseconds(300), cancellationToken);
            }
        }
        finally
        {
            spinner.Clear();
        }

        await context.Out.WriteLineAsync("Deployment deleted");
    }

    private static async Task<int> CreateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var blueprintId = context.Command.Required("blueprint-id");
        var inputs = InputsParser.Parse(context.Command.Values("inputs"), context.Command.Spec);
        await CreateAsync(context, context.Command.OptionalArgument("ID") ?? blueprintId, blueprintId, inputs, cancellationToken);
        return CliApp.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var filter = new ListOptions().WithFilter("blueprint_id", context.Command.Value("blueprint-id"));
        var items = await Listing.AllAsync(client.Deployments.ListAsync, cancellationToken, filter);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Deployments:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(Row)));
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deployment = await client.Deployments.GetAsync(context.Command.Argument("ID"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, deployment);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Deployment:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(deployment)]));
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync("Deployment inputs:");
        foreach (var (name, value) in deployment.Inputs ?? [])
        {
            await context.Out.WriteLineAsync($"\t{name}: {Cells.Value(value)}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await DeleteAndWaitAsync(context, context.Command.Argument("ID"), context.Command.Has("force"), cancellationToken);
        return CliApp.Ok;
    }

    private static async Task<int> OutputsAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var outputs = await client.Deployments.GetOutputsAsync(id, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, outputs.Outputs);
            return CliApp.Ok;
        }

        var definitions = (await client.Deployments.GetAsync(id, cancellationToken)).Outputs;
        await context.Out.WriteLineAsync($"Retrieving outputs for deployment {id}...");
        await WriteValuesAsync(context, "Deployment outputs:", outputs.Outputs, definitions);
        return CliApp.Ok;
    }

    private static async Task<int> CapabilitiesAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var capabilities = await client.Deployments.GetCapabilitiesAsync(id, cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, capabilities.Capabilities);
            return CliApp.Ok;
        }

        var definitions = (await client.Deployments.GetAsync(id, cancellationToken)).Capabilities;
        await context.Out.WriteLineAsync($"Retrieving capabilities for deployment {id}...");
        await WriteValuesAsync(context, "Deployment capabilities:", capabilities.Capabilities, definitions);
        return CliApp.Ok;
    }

    /// <summary>cfy's layout: <c> - "name":</c>, then the description and the value indented.</summary>
    internal static async Task WriteValuesAsync(CommandContext context, string title, JsonObject values, JsonObject? definitions)
    {
        await context.Out.WriteLineAsync(title);
        foreach (var (name, value) in values)
        {
            await context.Out.WriteLineAsync($" - \"{name}\":");
            if (definitions?[name]?["description"] is { } description)
            {
                await context.Out.WriteLineAsync($"     Description: {Cells.Value(description)?.Trim()}");
            }

            await context.Out.WriteLineAsync($"     Value: {Cells.Value(value)}");
        }
    }

    private static string?[] Row(Deployment d) =>
        [d.Id, d.DisplayName, d.BlueprintId, Cells.Time(d.CreatedAt), Cells.Time(d.UpdatedAt), d.Visibility, d.TenantName, d.CreatedBy, d.InstallationStatus, d.DeploymentStatus];
}
