using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>LifecycleProcessor</c>: one subgraph per selected instance (install, uninstall, rollback, heal),
/// ordered across instances by their relationships (install and heal: a source waits for its targets; uninstall and
/// rollback: a target waits for its sources). Relationships through unselected instances still order the selected
/// ones transitively. A <c>depends_on_lifecycle_operation</c> relationship (property <c>operation</c>) makes the
/// source wait only for what follows the target's named lifecycle operation. An unselected ("intact") instance with a
/// relationship to a selected one gets a <c>stub_&lt;id&gt;</c> subgraph running that relationship's establish
/// (install) or unlink (uninstall, failures ignored) operations, so it is reconnected to the new or removed instance.
/// </summary>
internal static class LifecycleGraph
{
    private const string LifecyclePrefix = "cloudify.interfaces.lifecycle.";

    public static IReadOnlyList<GraphTask> Install(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters) =>
        Install(builder, factory, model, InstanceFilter.Select(model, parameters));

    public static IReadOnlyList<GraphTask> Install(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, IReadOnlyCollection<NodeInstance> selected) =>
        Process(builder, factory, model, selected, install: true, i => InstallSubgraph.Build(builder, factory, model, i), LifecycleOperations.Establish);

    public static IReadOnlyList<GraphTask> Uninstall(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, JsonObject parameters) =>
        Uninstall(builder, factory, model, InstanceFilter.Select(model, parameters), InstanceFilter.Flag(parameters, "ignore_failure") ?? false);

    public static IReadOnlyList<GraphTask> Uninstall(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, IReadOnlyCollection<NodeInstance> selected, bool ignoreFailure) =>
        Process(builder, factory, model, selected, install: false, i => UninstallSubgraph.Build(builder, factory, model, i, ignoreFailure: ignoreFailure), LifecycleOperations.Unlink);

    public static IReadOnlyList<GraphTask> Rollback(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, IReadOnlyCollection<NodeInstance> selected) =>
        Process(builder, factory, model, selected, install: false, i => RollbackSubgraph.Build(builder, factory, model, i, ignoreFailure: true), LifecycleOperations.Unlink);

    public static IReadOnlyList<GraphTask> Heal(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, IReadOnlyCollection<NodeInstance> selected) =>
        Process(builder, factory, model, selected, install: true, i => HealSubgraph.Build(builder, factory, model, i), intactOperation: null);

    private static IReadOnlyList<GraphTask> Process(
        GraphBuilder builder,
        OperationTaskFactory factory,
        DeploymentModel model,
        IReadOnlyCollection<NodeInstance> selected,
        bool install,
        Func<NodeInstance, GraphTask> build,
        string? intactOperation)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        var subgraphs = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        foreach (var instance in selected)
        {
            subgraphs[instance.Id] = build(instance);
        }

        var stubs = intactOperation is null ? [] : IntactStubs(builder, factory, model, subgraphs, install, intactOperation);

        foreach (var instance in selected)
        {
            var node = model.NodeOf(instance);
            foreach (var rel in instance.Relationships.OfType<JsonObject>())
            {
                if (GraphTask.Text(rel, "target_id") is not { } targetId || !model.InstancesById.TryGetValue(targetId, out var target))
                {
                    continue;
                }

                if (!subgraphs.ContainsKey(targetId))
                {
                    foreach (var reached in ProcessedTargets(model, target, subgraphs, instance.Id))
                    {
                        Order(subgraphs[instance.Id], subgraphs[reached], install);
                    }

                    if (stubs.TryGetValue(targetId, out var stub))
                    {
                        Order(subgraphs[instance.Id], stub, install);
                    }

                    continue;
                }

                var nodeRelationship = RelationshipSubgraph.FindNodeRelationship(node, GraphTask.Text(rel, "target_name") ?? target.NodeId, GraphTask.Text(rel, "type"));
                var operation = nodeRelationship?["properties"] is JsonObject properties ? GraphTask.Text(properties, "operation") : null;
                if (operation is null)
                {
                    Order(subgraphs[instance.Id], subgraphs[targetId], install);
                }
                else if (install)
                {
                    WaitAfterOperation(builder, subgraphs[instance.Id], operation, targetId);
                }
                else
                {
                    WaitAfterOperation(builder, subgraphs[targetId], operation, instance.Id);
                }
            }
        }

        return builder.Tasks;
    }

    /// <summary>
    /// Stubs of intact instances related to a selected target, each running the relationship's
    /// <paramref name="operation"/> (source then target side, one after the other) and ordered with that target.
    /// </summary>
    private static Dictionary<string, GraphTask> IntactStubs(
        GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, Dictionary<string, GraphTask> subgraphs, bool install, string operation)
    {
        var stubs = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        foreach (var instance in model.Instances.Where(i => !subgraphs.ContainsKey(i.Id)))
        {
            var node = model.NodeOf(instance);
            var relationships = instance.Relationships.OfType<JsonObject>().ToList();
            if (!install)
            {
                relationships.Reverse();
            }

            GraphTask? previous = null;
            foreach (var rel in relationships)
            {
                if (GraphTask.Text(rel, "target_id") is not { } targetId || !subgraphs.TryGetValue(targetId, out var targetGraph))
                {
                    continue;
                }

                var target = model.InstancesById[targetId];
                if (!stubs.TryGetValue(instance.Id, out var stub))
                {
                    stubs[instance.Id] = stub = builder.Subgraph("stub_" + instance.Id, null);
                }

                Order(stub, targetGraph, install);
                var nodeRel = RelationshipSubgraph.FindNodeRelationship(node, GraphTask.Text(rel, "target_name") ?? target.NodeId, GraphTask.Text(rel, "type"));
                var tasks = new[]
                {
                    nodeRel?["source_operations"] is JsonObject sourceOps
                        ? factory.Create(builder, stub, instance, node, operation, sourceOps, target, relatedIsTarget: true)
                        : null,
                    nodeRel?["target_operations"] is JsonObject targetOps
                        ? factory.Create(builder, stub, target, model.NodeOf(target), operation, targetOps, instance, relatedIsTarget: false)
                        : null,
                };
                foreach (var task in tasks.OfType<GraphTask>())
                {
                    if (!install)
                    {
                        // Cloudify's _SendNodeEventHandler on the intact side of an uninstall: logged and ignored.
                        task.OnFailure = TaskHandlers.Of(TaskHandlers.SendNodeEvent, instance.Id);
                    }

                    if (previous is not null)
                    {
                        task.Dependencies.Add(previous.Id);
                    }

                    previous = task;
                }
            }
        }

        return stubs;
    }

    private static void Order(GraphTask source, GraphTask target, bool install)
    {
        if (install)
        {
            source.Dependencies.Add(target.Id);
        }
        else
        {
            target.Dependencies.Add(source.Id);
        }
    }

    /// <summary>
    /// <paramref name="waiting"/> waits for the tasks right after <paramref name="instanceId"/>'s lifecycle
    /// <paramref name="operation"/>; when that operation is not in the graph (a no-op), it waits for nothing.
    /// </summary>
    private static void WaitAfterOperation(GraphBuilder builder, GraphTask waiting, string operation, string instanceId)
    {
        var full = LifecyclePrefix + operation;
        var task = builder.Tasks.FirstOrDefault(t => t.Type == TaskTypes.Remote && t.OperationName == full && t.NodeInstanceId == instanceId);
        if (task is null)
        {
            return;
        }

        foreach (var after in builder.Tasks.Where(t => t.Dependencies.Contains(task.Id)))
        {
            waiting.Dependencies.Add(after.Id);
        }
    }

    /// <summary>Selected instances reachable from <paramref name="start"/> (not selected) through relationships.</summary>
    private static HashSet<string> ProcessedTargets(DeploymentModel model, NodeInstance start, Dictionary<string, GraphTask> selected, string sourceId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal) { sourceId, start.Id };
        var stack = new Stack<NodeInstance>();
        stack.Push(start);
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
