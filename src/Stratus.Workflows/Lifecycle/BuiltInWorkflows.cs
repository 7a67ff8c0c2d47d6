using System.Text.Json.Nodes;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>The built-in workflows the engine can build a graph for, by workflow id.</summary>
internal static class BuiltInWorkflows
{
    private const string Start = "cloudify.interfaces.lifecycle.start";
    private const string Stop = "cloudify.interfaces.lifecycle.stop";

    public static IReadOnlyList<string> Names { get; } = ["install", "uninstall", "execute_operation", "start", "stop", "restart"];

    /// <summary>Builds the graph; <see cref="NotSupportedException"/> for other workflows, <see cref="InvalidOperationException"/> for bad parameters.</summary>
    public static IReadOnlyList<GraphTask> Build(
        string workflowId, GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var byOrder = Flag(parameters, "run_by_dependency_order") ?? false;
        switch (workflowId)
        {
            case "install":
                return LifecycleGraph.Install(builder, factory, model, parameters);
            case "uninstall":
                return LifecycleGraph.Uninstall(builder, factory, model, parameters);
            case "execute_operation":
                var operation = GraphTask.Text(parameters, "operation")
                    ?? throw new InvalidOperationException("execute_operation needs the 'operation' parameter.");
                return ExecuteOperationGraph.Build(
                    builder, factory, model, operation, parameters["operation_kwargs"] as JsonObject,
                    Flag(parameters, "allow_kwargs_override") ?? false, byOrder, parameters);
            case "start":
                return ExecuteOperationGraph.Build(builder, factory, model, Start, parameters["operation_parms"] as JsonObject, true, byOrder, parameters);
            case "stop":
                return ExecuteOperationGraph.Build(builder, factory, model, Stop, parameters["operation_parms"] as JsonObject, true, byOrder, parameters);
            case "restart":
                // Cloudify runs the stop graph to its end, then the start graph: here one graph, start after stop.
                var stop = builder.Subgraph("stop", null);
                ExecuteOperationGraph.Build(builder, factory, model, Stop, parameters["stop_parms"] as JsonObject, true, byOrder, parameters, stop);
                var start = builder.Subgraph("start", null);
                start.Dependencies.Add(stop.Id);
                return ExecuteOperationGraph.Build(builder, factory, model, Start, parameters["start_parms"] as JsonObject, true, byOrder, parameters, start);
            default:
                throw new NotSupportedException($"Workflow '{workflowId}' is not supported by this manager's workflow engine.");
        }
    }

    private static bool? Flag(JsonObject parameters, string key) =>
        parameters[key] is JsonValue value && value.TryGetValue(out bool flag) ? flag : null;
}
