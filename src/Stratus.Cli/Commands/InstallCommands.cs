using System.Net;
using Stratus.Cli.Parsing;
using Stratus.Client;

namespace Stratus.Cli.Commands;

/// <summary><c>install</c> (upload, create, run install) and <c>uninstall</c> (run uninstall, delete deployment and blueprint).</summary>
internal static class InstallCommands
{
    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("install", "Upload a blueprint, create a deployment and run its install workflow", ["PATH"],
        [
            OptionSpec.Value("blueprint-id", "BP", "blueprint id (default: the folder name)", 'b'),
            OptionSpec.Value("deployment-id", "DEP", "deployment id (default: the blueprint id)", 'd'),
            OptionSpec.Value("blueprint-filename", "FILE", "main YAML file (default blueprint.yaml)", 'n'),
            DeploymentCommands.Inputs,
            ExecutionCommands.Timeout,
        ], InstallAsync),
        new("uninstall", "Run a deployment's uninstall workflow, then delete the deployment and its blueprint", ["DEP"],
        [
            OptionSpec.Flag("keep-blueprint", "do not delete the blueprint afterwards"),
            ExecutionCommands.Timeout,
        ], UninstallAsync),
    ];

    private static async Task<int> InstallAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var path = command.Argument("PATH");
        var blueprintId = command.Value("blueprint-id") ?? BlueprintCommands.DefaultId(path);
        var deploymentId = command.Value("deployment-id") ?? blueprintId;
        var inputs = InputsParser.Parse(command.Values("inputs"), command.Spec);
        var blueprint = await BlueprintCommands.UploadAsync(context, path, blueprintId, command.Value("blueprint-filename"), cancellationToken);
        await context.Out.WriteLineAsync($"Blueprint uploaded. The blueprint's id is {blueprint.Id}");
        await DeploymentCommands.CreateAsync(context, deploymentId, blueprint.Id, inputs, cancellationToken);
        var exit = await ExecutionCommands.RunWorkflowAsync(
            context, deploymentId, "install", null, new ExecutionStartOptions(), ExecutionCommands.TimeoutOf(context), cancellationToken);
        if (exit == CliApp.Ok)
        {
            await ShowOutputsAsync(context, deploymentId, cancellationToken);
        }

        return exit;
    }

    private static async Task<int> UninstallAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deploymentId = context.Command.Argument("DEP");
        var deployment = await client.Deployments.GetAsync(deploymentId, cancellationToken);
        var exit = await ExecutionCommands.RunWorkflowAsync(
            context, deploymentId, "uninstall", null, new ExecutionStartOptions(), ExecutionCommands.TimeoutOf(context), cancellationToken);
        if (exit != CliApp.Ok)
        {
            return exit;
        }

        await DeploymentCommands.DeleteAndWaitAsync(context, deploymentId, force: false, cancellationToken);
        if (context.Command.Has("keep-blueprint") || deployment.BlueprintId is not { } blueprintId)
        {
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync($"Deleting blueprint {blueprintId}...");
        try
        {
            await client.Blueprints.DeleteAsync(blueprintId, force: false, cancellationToken);
            await context.Out.WriteLineAsync("Blueprint deleted");
        }
        catch (StratusApiException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed)
        {
            await context.Out.WriteLineAsync($"Blueprint {blueprintId} kept: {e.Message}");
        }

        return CliApp.Ok;
    }

    private static async Task ShowOutputsAsync(CommandContext context, string deploymentId, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var outputs = await client.Deployments.GetOutputsAsync(deploymentId, cancellationToken);
        if (outputs.Outputs.Count == 0)
        {
            return;
        }

        var definitions = (await client.Deployments.GetAsync(deploymentId, cancellationToken)).Outputs;
        await DeploymentCommands.WriteValuesAsync(context, "Deployment outputs:", outputs.Outputs, definitions);
    }
}
