using System.Text.Json.Nodes;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>execute_operation</c> graph (also behind start, stop and restart): for each selected instance whose
/// node implements the operation, "Starting operation" -> the operation -> "Finished operation". With
/// <c>run_by_dependency_order</c> an instance waits for its relationship targets (the same direction for stop), and
/// unselected instances get empty subgraphs so the order still holds through them.
/// </summary>
internal static class ExecuteOperationGraph
{
    public static IReadOnlyList<GraphTask> Build(
        GraphBuilder builder,
        OperationTaskFactory factory,
        DeploymentModel model,
        string operation,
        JsonObject? operationKwargs,
        bool allowKwargsOverride,
        bool byDependencyOrder,
        JsonObject filters,
        GraphTask? parent = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        var selected = InstanceFilter.Select(model, filters);
        var subgraphs = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        if (byDependencyOrder)
        {
            foreach (var instance in model.Instances.Where(i => !selected.Contains(i)))
            {
                subgraphs[instance.Id] = builder.Subgraph(instance.Id, parent);
            }
        }

        var startMessage = "Starting operation " + operation;
        if (operationKwargs is { Count: > 0 })
        {
            startMessage += $" (Operation parameters: {PythonRepr.Of(operationKwargs)})";
        }

        foreach (var instance in selected)
        {
            var subgraph = builder.Subgraph(instance.Id, parent);
            subgraphs[instance.Id] = subgraph;
            var node = model.NodeOf(instance);
            if (!OperationTaskFactory.HasOperation(node.Operations, operation))
            {
                continue;
            }

            var task = factory.Create(builder, subgraph, instance, node, operation, node.Operations, extraKwargs: operationKwargs, allowKwargsOverride: allowKwargsOverride)!;
            GraphBuilder.Sequence(
            [
                [builder.NodeEvent(subgraph, instance.Id, startMessage)],
                [task],
                [builder.NodeEvent(subgraph, instance.Id, "Finished operation " + operation)],
            ]);
        }

        if (byDependencyOrder)
        {
            foreach (var instance in model.Instances)
            {
                foreach (var rel in instance.Relationships.OfType<JsonObject>())
                {
                    if (GraphTask.Text(rel, "target_id") is { } target && subgraphs.TryGetValue(target, out var targetGraph))
                    {
                        subgraphs[instance.Id].Dependencies.Add(targetGraph.Id);
                    }
                }
            }
        }

        return builder.Tasks;
    }
}
