using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

internal static class ExecutionCommands
{
    private static readonly string[] Columns =
        ["id", "workflow_id", "status_display", "deployment_id", "created_at", "ended_at", "error", "tenant_name", "created_by"];

    public static readonly OptionSpec Timeout =
        OptionSpec.Value("timeout", "SECONDS", $"stop waiting after this many seconds (default {ExecutionFollower.DefaultTimeoutSeconds})");

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("executions start", "Run a workflow on a deployment and follow its events", ["WORKFLOW"],
        [
            OptionSpec.Value("deployment-id", "DEP", "the deployment", 'd'),
            OptionSpec.Many("parameters", "PARAM", "key=value[;k=v], a JSON object, or a YAML/JSON file (repeatable)", 'p'),
            OptionSpec.Flag("allow-custom-parameters", "accept parameters the workflow does not declare"),
            OptionSpec.Flag("force", "run even if another execution of this workflow is running"),
            OptionSpec.Flag("dry-run", "log what would run without running it"),
            OptionSpec.Flag("queue", "if the deployment is busy, queue the execution instead of failing"),
            Timeout,
        ], StartAsync),
        new("executions list", "List executions", [],
        [
            OptionSpec.Value("deployment-id", "DEP", "only this deployment's executions", 'd'),
            OptionSpec.Flag("include-system-workflows", "also show system workflows (upload, create, delete...)"),
            OptionSpec.Json,
        ], ListAsync),
        new("executions get", "Show one execution", ["ID"], [OptionSpec.Json], GetAsync),
        new("executions cancel", "Cancel a running execution", ["ID"],
        [
            OptionSpec.Flag("force", "force-cancel: stop without waiting for running operations", 'f'),
            OptionSpec.Flag("kill", "kill: also stop the processes of running operations", 'k'),
        ], CancelAsync),
        new("executions resume", "Resume a failed or cancelled execution from where it stopped", ["ID"],
            [OptionSpec.Flag("force", "force-resume: also re-run operations that were in flight", 'f')], ResumeAsync),
    ];

    /// <summary>Starts a workflow, follows it to the end and reports as cfy does; returns the exit code.</summary>
    public static async Task<int> RunWorkflowAsync(
        CommandContext context,
        string deploymentId,
        string workflowId,
        System.Text.Json.Nodes.JsonObject? parameters,
        ExecutionStartOptions options,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        await context.Out.WriteLineAsync(
            $"Executing workflow `{workflowId}` on deployment `{deploymentId}` [timeout={timeout.TotalSeconds:0} seconds]");
        Execution execution;
        try
        {
            execution = await client.Executions.StartAsync(deploymentId, workflowId, parameters, options, cancellationToken);
        }
        catch (StratusApiException e) when (e.ErrorCode is "deployment_environment_creation_in_progress_error"
                                                or "deployment_environment_creation_pending_error")
        {
            // As cfy does: let create_deployment_environment finish, then start the workflow once more.
            await context.Out.WriteLineAsync("Deployment environment creation is in progress...");
            var deployment = await client.Deployments.GetAsync(deploymentId, cancellationToken);
            if (deployment.CreateExecution is { } creation)
            {
                await ExecutionFollower.WaitAsync(context, client, creation, timeout, cancellationToken);
            }

            execution = await client.Executions.StartAsync(deploymentId, workflowId, parameters, options, cancellationToken);
        }

        if (execution.Status == "queued")
        {
            // As cfy: nothing to follow yet; the manager starts it when the deployment (or a slot) frees.
            await context.Out.WriteLineAsync("Execution is being queued. It will automatically start when possible.");
            return CliApp.Ok;
        }

        var result = await ExecutionFollower.FollowAsync(context, client, execution, timeout, cancellationToken);
        return ExecutionFollower.Report(context, result, deploymentId);
    }

    public static TimeSpan TimeoutOf(CommandContext context) =>
        TimeSpan.FromSeconds(context.Command.Int("timeout") ?? ExecutionFollower.DefaultTimeoutSeconds);

    private static Task<int> StartAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var options = new ExecutionStartOptions
        {
            Force = command.Has("force"),
            AllowCustomParameters = command.Has("allow-custom-parameters"),
            DryRun = command.Has("dry-run"),
            Queue = command.Has("queue"),
        };
        var parameters = InputsParser.Parse(command.Values("parameters"), command.Spec);
        return RunWorkflowAsync(
            context, command.Required("deployment-id"), command.Argument("WORKFLOW"), parameters, options, TimeoutOf(context), cancellationToken);
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deploymentId = context.Command.Value("deployment-id");
        var system = context.Command.Has("include-system-workflows");
        var items = await Listing.AllAsync<Execution>(
            (o, ct) => client.Executions.ListAsync(deploymentId, system, o, ct), cancellationToken, new ListOptions { Sort = ["created_at"] });
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Executions:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, items.Select(Row)));
        return CliApp.Ok;
    }

    private static async Task<int> GetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var execution = await client.Executions.GetAsync(context.Command.Argument("ID"), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, execution);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Execution:");
        await context.Out.WriteAsync(TableRenderer.Render(Columns, [Row(execution)]));
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync("Execution Parameters:");
        foreach (var (name, value) in execution.Parameters ?? [])
        {
            await context.Out.WriteLineAsync($"\t{name}: {Cells.Value(value)}");
        }

        return CliApp.Ok;
    }

    private static async Task<int> CancelAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var force = context.Command.Has("force");
        var kill = context.Command.Has("kill");
        await context.Out.WriteLineAsync($"{(kill ? "Killing" : force ? "Force-cancelling" : "Cancelling")} execution {id}");
        _ = kill
            ? await client.Executions.KillAsync(id, cancellationToken)
            : await client.Executions.CancelAsync(id, force, cancellationToken);
        await context.Out.WriteLineAsync(
            $"A cancel request for execution {id} has been sent. To track the execution's status, use:\nstratus executions get {id}");
        return CliApp.Ok;
    }

    private static async Task<int> ResumeAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var id = context.Command.Argument("ID");
        var force = context.Command.Has("force");
        await context.Out.WriteLineAsync($"{(force ? "Force-resuming" : "Resuming")} execution {id}");
        await client.Executions.ResumeAsync(id, force, cancellationToken);
        await context.Out.WriteLineAsync(
            $"A resume request for execution {id} has been sent. To track the execution's status, use:\nstratus executions get {id}");
        return CliApp.Ok;
    }

    private static string?[] Row(Execution e) =>
        [e.Id, e.WorkflowId, e.StatusDisplay ?? e.Status, e.DeploymentId, Cells.Time(e.CreatedAt), Cells.Time(e.EndedAt), e.Error, e.TenantName, e.CreatedBy];
}
