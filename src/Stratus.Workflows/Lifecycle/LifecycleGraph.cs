using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// The install and uninstall graphs: one subgraph per selected instance, ordered across instances by their
/// relationships (install: a source waits for its targets; uninstall: a target waits for its sources).
/// Relationships through unselected instances still order the selected ones transitively.
/// </summary>
internal static class LifecycleGraph
{
    public static IReadOnlyList<GraphTask> Install(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters) =>
        Build(builder, factory, model, parameters, install: true);

    public static IReadOnlyList<GraphTask> Uninstall(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters) =>
        Build(builder, factory, model, parameters, install: false);

    private static IReadOnlyList<GraphTask> Build(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters, bool install)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        var selected = InstanceFilter.Select(model, parameters);
        var subgraphs = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        foreach (var instance in selected)
        {
            subgraphs[instance.Id] = install
                ? InstallSubgraph.Build(builder, factory, model, instance)
                : UninstallSubgraph.Build(builder, factory, model, instance);
        }

        foreach (var instance in selected)
        {
            foreach (var targetId in ProcessedTargets(model, instance, subgraphs))
            {
                if (install)
                {
                    subgraphs[instance.Id].Dependencies.Add(subgraphs[targetId].Id);
                }
                else
                {
                    subgraphs[targetId].Dependencies.Add(subgraphs[instance.Id].Id);
                }
            }
        }

        if (!install && parameters["ignore_failure"] is JsonValue ignore && ignore.TryGetValue(out bool ignoreFailure) && ignoreFailure)
        {
            foreach (var task in builder.Tasks.Where(t => t.Type == TaskTypes.Remote))
            {
                task.IgnoreFailure = true;
            }
        }

        return builder.Tasks;
    }

    /// <summary>Selected instances reachable through relationships, looking through unselected ones.</summary>
    private static HashSet<string> ProcessedTargets(DeploymentModel model, NodeInstance source, Dictionary<string, GraphTask> selected)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal) { source.Id };
        var stack = new Stack<NodeInstance>();
        stack.Push(source);
        while (stack.Count > 0)
        {
            foreach (var rel in stack.Pop().Relationships.OfType<JsonObject>())
            {
                if (GraphTask.Text(rel, "target_id") is not { } targetId
                    || !visited.Add(targetId)
                    || !model.InstancesById.TryGetValue(targetId, out var target))
                {
                    continue;
                }

                if (selected.ContainsKey(targetId))
                {
                    found.Add(targetId);
                }
                else
                {
                    stack.Push(target);
                }
            }
        }

        return found;
    }
}
