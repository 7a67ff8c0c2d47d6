using Stratus.Core.Model;
using Stratus.Workflows.Graph;
using S = Stratus.Core.Model.NodeInstanceState;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// The delete phase uninstall and rollback share (Cloudify's delete path): unlink the instance's relationships in
/// reverse, state <c>deleting</c> with its event and the delete operation, then postdelete, each present only when the
/// node (or a relationship) defines the operation.
/// </summary>
internal sealed record DeleteSteps(
    List<IReadOnlyList<GraphTask>> Unlink,
    List<IReadOnlyList<GraphTask>> Delete,
    List<IReadOnlyList<GraphTask>> Postdelete)
{
    public static DeleteSteps Build(
        GraphBuilder builder,
        OperationTaskFactory factory,
        DeploymentModel model,
        GraphTask subgraph,
        NodeInstance instance,
        Func<string, GraphTask?> op,
        Func<string, List<IReadOnlyList<GraphTask>>> nodeEvent)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(instance);
        List<IReadOnlyList<GraphTask>> unlink = [], postdelete = [];
        // Created in this order (unlink, delete, postdelete) so the graph's task order is unchanged.
        if (RelationshipSubgraph.Build(builder, factory, model, subgraph, instance, LifecycleOperations.Unlink, reverse: true) is { } un)
        {
            unlink = [.. nodeEvent("Unlinking relationships"), [un], .. nodeEvent("Relationships unlinked")];
        }

        List<IReadOnlyList<GraphTask>> delete = op(LifecycleOperations.Delete) is { } del
            ? [[builder.SetState(subgraph, instance.Id, S.Deleting), builder.NodeEvent(subgraph, instance.Id, "Deleting node instance")], [del]]
            : [];
        if (op(LifecycleOperations.Postdelete) is { } pd)
        {
            postdelete = [.. nodeEvent("Postdeleting node instance"), [pd], .. nodeEvent("Node instance postdeleted")];
        }

        return new DeleteSteps(unlink, delete, postdelete);
    }
}
