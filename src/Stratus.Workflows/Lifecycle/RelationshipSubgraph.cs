using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// A relationship operation across an instance's relationships: grouped by consecutive target node, each group's
/// source and target operations run in parallel, groups in declaration order (reversed for unlink).
/// </summary>
internal static class RelationshipSubgraph
{
    /// <summary>The subgraph, or null when every relationship's operation is a no-op.</summary>
    public static GraphTask? Build(
        GraphBuilder builder,
        OperationTaskFactory factory,
        DeploymentModel model,
        GraphTask parent,
        NodeInstance instance,
        string operationName,
        bool reverse = false)
    {
        var node = model.NodeOf(instance);
        if (!node.Relationships.OfType<JsonObject>().Any(r =>
                (r["source_operations"] is JsonObject source && OperationTaskFactory.HasOperation(source, operationName))
                || (r["target_operations"] is JsonObject target && OperationTaskFactory.HasOperation(target, operationName))))
        {
            return null;
        }

        var subgraph = builder.Subgraph(operationName + "_subgraph", parent);
        var groups = new List<IReadOnlyList<GraphTask>>();
        string? currentTargetNode = null;
        List<GraphTask>? group = null;
        foreach (var rel in instance.Relationships.OfType<JsonObject>())
        {
            var targetInstanceId = GraphTask.Text(rel, "target_id");
            var targetNodeId = GraphTask.Text(rel, "target_name");
            if (targetInstanceId is null || !model.InstancesById.TryGetValue(targetInstanceId, out var target))
            {
                continue;
            }

            targetNodeId ??= target.NodeId;
            if (group is null || currentTargetNode != targetNodeId)
            {
                if (group is { Count: > 0 })
                {
                    groups.Add(group);
                }

                group = [];
                currentTargetNode = targetNodeId;
            }

            var nodeRelationship = FindNodeRelationship(node, targetNodeId, GraphTask.Text(rel, "type"));
            if (nodeRelationship is null)
            {
                continue;
            }

            var targetNode = model.NodeOf(target);
            if (nodeRelationship["source_operations"] is JsonObject sourceOps
                && factory.Create(builder, subgraph, instance, node, operationName, sourceOps, target, relatedIsTarget: true) is { } sourceTask)
            {
                group.Add(sourceTask);
            }

            if (nodeRelationship["target_operations"] is JsonObject targetOps
                && factory.Create(builder, subgraph, target, targetNode, operationName, targetOps, instance, relatedIsTarget: false) is { } targetTask)
            {
                group.Add(targetTask);
            }
        }

        if (group is { Count: > 0 })
        {
            groups.Add(group);
        }

        if (groups.Count == 0)
        {
            builder.Remove(subgraph);
            return null;
        }

        if (reverse)
        {
            groups.Reverse();
        }

        GraphBuilder.Sequence(groups);
        return subgraph;
    }

    /// <summary>The node-level relationship an instance relationship comes from (its type, properties and operations).</summary>
    internal static JsonObject? FindNodeRelationship(Node node, string targetNodeId, string? type)
    {
        var candidates = node.Relationships.OfType<JsonObject>()
            .Where(r => GraphTask.Text(r, "target_id") == targetNodeId)
            .ToList();
        return candidates.FirstOrDefault(r => type is not null && GraphTask.Text(r, "type") == type) ?? candidates.FirstOrDefault();
    }
}
