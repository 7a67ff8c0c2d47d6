using Stratus.Core.Model;

namespace Stratus.Workflows.Lifecycle;

/// <summary>The nodes and instances of a deployment, as a workflow sees them when it builds its graph.</summary>
internal sealed class DeploymentModel
{
    public DeploymentModel(IEnumerable<Node> nodes, IEnumerable<NodeInstance> instances)
    {
        Nodes = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        Instances = [.. instances];
        InstancesById = Instances.ToDictionary(i => i.Id, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, Node> Nodes { get; }

    public IReadOnlyList<NodeInstance> Instances { get; }

    public IReadOnlyDictionary<string, NodeInstance> InstancesById { get; }

    public Node NodeOf(NodeInstance instance) =>
        Nodes.TryGetValue(instance.NodeId, out var node)
            ? node
            : throw new InvalidOperationException($"Node instance {instance.Id} belongs to unknown node {instance.NodeId}.");
}
