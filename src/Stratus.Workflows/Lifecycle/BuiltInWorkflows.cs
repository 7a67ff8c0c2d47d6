using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// The built-in workflows the engine runs, by workflow id, each as Cloudify's workflow function runs it: one or more
/// named graphs one after the other (see <see cref="WorkflowRun"/>).
/// </summary>
internal static class BuiltInWorkflows
{
    private const string Start = "cloudify.interfaces.lifecycle.start";
    private const string Stop = "cloudify.interfaces.lifecycle.stop";
    private const string Pull = "cloudify.interfaces.lifecycle.pull";

    public static IReadOnlyList<string> Names { get; } =
        ["install", "uninstall", "reinstall", "execute_operation", "start", "stop", "restart", "check_status", "check_drift", "rollback", "heal", "pull", "scale"];

    /// <summary>Runs the workflow (a blueprint's script workflow when the id is not built in); <see cref="NotSupportedException"/> for other workflows, <see cref="InvalidOperationException"/> for bad parameters.</summary>
    public static async Task<GraphOutcome> RunAsync(WorkflowRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var parameters = run.Parameters;
        var workflowId = run.Identity.WorkflowId;
        switch (workflowId)
        {
            case "install":
                return await run.RunGraphAsync("install", (b, f, m) => LifecycleGraph.Install(b, f, m, parameters), cancellationToken: cancellationToken);
            case "uninstall":
                return await run.RunGraphAsync("uninstall", (b, f, m) => LifecycleGraph.Uninstall(b, f, m, parameters), cancellationToken: cancellationToken);
            case "reinstall":
                var model = await run.LoadModelAsync(cancellationToken);
                return await ReinstallAsync(
                    run, Ids(InstanceFilter.Select(model, parameters)), InstanceFilter.Flag(parameters, "ignore_failure") ?? false, cancellationToken);
            case "check_status":
                // Cloudify never retries check_status unless the operation itself declares max_retries.
                return await run.RunGraphAsync(
                    "check_status",
                    (b, f, m) => CheckGraph.Status(
                        b, f, m, InstanceFilter.Select(m, parameters), InstanceFilter.Flag(parameters, "run_by_dependency_order") ?? false,
                        InstanceFilter.Flag(parameters, "ignore_failure") ?? false),
                    taskRetries: 0,
                    cancellationToken: cancellationToken);
            case "check_drift":
                return await run.RunGraphAsync(
                    "check_drift",
                    (b, f, m) => CheckGraph.Drift(
                        b, f, m, InstanceFilter.Select(m, parameters), InstanceFilter.Flag(parameters, "run_by_dependency_order") ?? true,
                        InstanceFilter.Flag(parameters, "ignore_failure") ?? false),
                    cancellationToken: cancellationToken);
            case "rollback":
                return await RollbackWorkflow.RunAsync(run, cancellationToken);
            case "heal":
                return await HealWorkflow.RunAsync(run, cancellationToken);
            case "scale":
                return await ScaleWorkflow.RunAsync(run, cancellationToken);
            case "execute_operation" or "start" or "stop" or "restart" or "pull":
                return await run.RunGraphAsync(workflowId, (b, f, m) => BuildOperationGraph(workflowId, b, f, m, parameters), cancellationToken: cancellationToken);
            default:
                return await ScriptWorkflow.RunAsync(run, cancellationToken);
        }
    }

    /// <summary>Cloudify's <c>reinstall_node_instances</c>: the uninstall graph, then (if it succeeded) the install graph.</summary>
    public static async Task<GraphOutcome> ReinstallAsync(WorkflowRun run, IReadOnlySet<string> instanceIds, bool ignoreFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var uninstalled = await run.RunGraphAsync(
            "reinstall-uninstall", (b, f, m) => LifecycleGraph.Uninstall(b, f, m, Pick(m, instanceIds), ignoreFailure), cancellationToken: cancellationToken);
        if (uninstalled.Status != ExecutionStatus.Terminated)
        {
            return uninstalled;
        }

        return await run.RunGraphAsync(
            "reinstall-install", (b, f, m) => LifecycleGraph.Install(b, f, m, Pick(m, instanceIds)), cancellationToken: cancellationToken);
    }

    public static HashSet<string> Ids(IEnumerable<NodeInstance> instances) => [.. instances.Select(i => i.Id)];

    /// <summary>The model's current instances with these ids, in the model's order.</summary>
    public static List<NodeInstance> Pick(DeploymentModel model, IReadOnlySet<string> ids)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Instances.Where(i => ids.Contains(i.Id))];
    }

    private static IReadOnlyList<GraphTask> BuildOperationGraph(
        string workflowId, GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters)
    {
        var byOrder = InstanceFilter.Flag(parameters, "run_by_dependency_order") ?? false;
        switch (workflowId)
        {
            case "execute_operation":
                var operation = GraphTask.Text(parameters, "operation")
                    ?? throw new InvalidOperationException("execute_operation needs the 'operation' parameter.");
                return ExecuteOperationGraph.Build(
                    builder, factory, model, operation, parameters["operation_kwargs"] as JsonObject,
                    InstanceFilter.Flag(parameters, "allow_kwargs_override") ?? false, byOrder, parameters);
            case "start":
                return ExecuteOperationGraph.Build(builder, factory, model, Start, parameters["operation_parms"] as JsonObject, true, byOrder, parameters);
            case "stop":
                return ExecuteOperationGraph.Build(builder, factory, model, Stop, parameters["operation_parms"] as JsonObject, true, byOrder, parameters);
            case "pull":
                return ExecuteOperationGraph.Build(builder, factory, model, Pull, parameters["operation_parms"] as JsonObject, true, byOrder, parameters);
            default:
                // restart: Cloudify runs the stop graph to its end, then the start graph: here one graph, start after stop.
                var stop = builder.Subgraph("stop", null);
                ExecuteOperationGraph.Build(builder, factory, model, Stop, parameters["stop_parms"] as JsonObject, true, byOrder, parameters, stop);
                var start = builder.Subgraph("start", null);
                start.Dependencies.Add(stop.Id);
                return ExecuteOperationGraph.Build(builder, factory, model, Start, parameters["start_parms"] as JsonObject, true, byOrder, parameters, start);
        }
    }
}
