using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's check_status and check_drift graphs: one operation per selected instance whose node implements it (no
/// node events, no subgraphs), its result stored into the instance's <c>system_properties</c> by the task's handlers.
/// check_drift adds each relationship's source and target <c>check_drift</c> after the instance's own. With
/// <c>run_by_dependency_order</c> an instance's check waits for its targets' (through instances without one).
/// </summary>
internal static class CheckGraph
{
    public const string CheckStatus = "cloudify.interfaces.validation.check_status";
    public const string CheckDrift = "cloudify.interfaces.lifecycle.check_drift";
    public const string RelationshipCheckDrift = "cloudify.interfaces.relationship_lifecycle.check_drift";

    public static IReadOnlyList<GraphTask> Status(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, IReadOnlyCollection<NodeInstance> selected, bool byOrder, bool ignoreFailure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        var own = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        foreach (var instance in selected)
        {
            var node = model.NodeOf(instance);
            if (factory.Create(builder, null, instance, node, CheckStatus, node.Operations) is { } task)
            {
                task.OnSuccess = TaskHandlers.Of(TaskHandlers.CheckStatusOnSuccess, instance.Id);
                task.OnFailure = TaskHandlers.Of(ignoreFailure ? TaskHandlers.CheckStatusOnFailureIgnore : TaskHandlers.CheckStatusOnFailure, instance.Id);
                own[instance.Id] = task;
            }
        }

        if (byOrder)
        {
            foreach (var (id, task) in own)
            {
                task.Dependencies.UnionWith(Before(model, model.InstancesById[id], own).Select(t => t.Id));
            }
        }

        return builder.Tasks;
    }

    public static IReadOnlyList<GraphTask> Drift(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, IReadOnlyCollection<NodeInstance> selected, bool byOrder, bool ignoreFailure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        var onFailure = ignoreFailure ? TaskHandlers.CheckDriftOnFailureIgnore : TaskHandlers.CheckDriftOnFailure;
        var own = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        var related = new List<(NodeInstance Instance, GraphTask Task)>();
        foreach (var instance in selected)
        {
            var node = model.NodeOf(instance);
            if (factory.Create(builder, null, instance, node, CheckDrift, node.Operations) is { } task)
            {
                task.OnSuccess = TaskHandlers.Of(TaskHandlers.CheckDriftOnSuccess, instance.Id);
                task.OnFailure = TaskHandlers.Of(onFailure, instance.Id);
                own[instance.Id] = task;
            }

            foreach (var rel in instance.Relationships.OfType<JsonObject>())
            {
                if (GraphTask.Text(rel, "target_id") is not { } targetId || !model.InstancesById.TryGetValue(targetId, out var target)
                    || RelationshipSubgraph.FindNodeRelationship(node, GraphTask.Text(rel, "target_name") ?? target.NodeId, GraphTask.Text(rel, "type")) is not { } nodeRel)
                {
                    continue;
                }

                if (nodeRel["source_operations"] is JsonObject sourceOps
                    && factory.Create(builder, null, instance, node, RelationshipCheckDrift, sourceOps, target, relatedIsTarget: true) is { } source)
                {
                    source.OnSuccess = TaskHandlers.Of(TaskHandlers.CheckDriftOnSuccess, instance.Id, ("relationship_target", targetId));
                    source.OnFailure = TaskHandlers.Of(onFailure, instance.Id, ("relationship_target", targetId));
                    related.Add((instance, source));
                }

                if (nodeRel["target_operations"] is JsonObject targetOps
                    && factory.Create(builder, null, target, model.NodeOf(target), RelationshipCheckDrift, targetOps, instance, relatedIsTarget: false) is { } targetTask)
                {
                    targetTask.OnSuccess = TaskHandlers.Of(TaskHandlers.CheckDriftOnSuccess, targetId, ("relationship_source", instance.Id));
                    targetTask.OnFailure = TaskHandlers.Of(onFailure, targetId, ("relationship_source", instance.Id));
                    related.Add((instance, targetTask));
                }
            }
        }

        foreach (var (instance, task) in related)
        {
            // After the instance's own check, or (when it has none) after what that check would have waited for.
            if (own.TryGetValue(instance.Id, out var first))
            {
                task.Dependencies.Add(first.Id);
            }
            else if (byOrder)
            {
                task.Dependencies.UnionWith(Before(model, instance, own).Select(t => t.Id));
            }
        }

        if (byOrder)
        {
            foreach (var (id, task) in own)
            {
                task.Dependencies.UnionWith(Before(model, model.InstancesById[id], own).Select(t => t.Id));
            }
        }

        return builder.Tasks;
    }

    /// <summary>The checks of the instance's relationship targets, looking through instances that have none.</summary>
    private static List<GraphTask> Before(DeploymentModel model, NodeInstance instance, Dictionary<string, GraphTask> own)
    {
        var found = new List<GraphTask>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { instance.Id };
        var stack = new Stack<NodeInstance>();
        stack.Push(instance);
        while (stack.Count > 0)
        {
            foreach (var rel in stack.Pop().Relationships.OfType<JsonObject>())
            {
                if (GraphTask.Text(rel, "target_id") is not { } targetId || !visited.Add(targetId)
                    || !model.InstancesById.TryGetValue(targetId, out var target))
                {
                    continue;
                }

                if (own.TryGetValue(targetId, out var task))
                {
                    found.Add(task);
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
