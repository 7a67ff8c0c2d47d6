using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>heal_node_instance_subgraph</c> (<c>heal_&lt;id&gt;</c>): "Healing node instance", preheal, heal,
/// postheal, "Node instance healed". Success marks the instance's status ok and healed; failure marks it
/// <c>heal_failed</c> with the execution id and is ignored, so the heal workflow can reinstall it instead.
/// </summary>
internal static class HealSubgraph
{
    public const string Preheal = "cloudify.interfaces.lifecycle.preheal";
    public const string Heal = "cloudify.interfaces.lifecycle.heal";
    public const string Postheal = "cloudify.interfaces.lifecycle.postheal";

    public static GraphTask Build(GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(instance);
        var node = model.NodeOf(instance);
        var sg = builder.Subgraph("heal_" + instance.Id, null);
        sg.OnSuccess = TaskHandlers.Of(TaskHandlers.HealOnSuccess, instance.Id);
        sg.OnFailure = TaskHandlers.Of(TaskHandlers.HealOnFailure, instance.Id);
        List<IReadOnlyList<GraphTask>> steps = [[builder.NodeEvent(sg, instance.Id, "Healing node instance")]];
        foreach (var name in new[] { Preheal, Heal, Postheal })
        {
            if (factory.Create(builder, sg, instance, node, name, node.Operations) is { } op)
            {
                steps.Add([op]);
            }
        }

        steps.Add([builder.NodeEvent(sg, instance.Id, "Node instance healed")]);
        GraphBuilder.Sequence(steps);
        return sg;
    }
}
