using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>reinstall_node_instance_subgraph</c> (<c>reinstall_&lt;id&gt;</c>), what a failed instance subgraph
/// is replaced by while subgraph retries remain: "Node lifecycle failed. Attempting to re-run node lifecycle", the
/// instance's uninstall subgraph, then its install subgraph. The uninstall part is built from the instance's stored
/// state; the install part as a full install, since the uninstall leaves the instance deleted. (Cloudify builds both
/// from the state it read when the workflow started, which for a first install is the same "uninitialized".)
/// </summary>
internal static class ReinstallSubgraph
{
    public static GraphTask Build(GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(instance);
        var sg = builder.Subgraph("reinstall_" + instance.Id, null);
        sg.OnFailure = TaskHandlers.Of(TaskHandlers.SubgraphOnFailure, instance.Id, ("on_retry", "reinstall"));
        var announce = builder.NodeEvent(sg, instance.Id, "Node lifecycle failed. Attempting to re-run node lifecycle");
        var uninstall = UninstallSubgraph.Build(builder, factory, model, instance, sg);
        var install = InstallSubgraph.Build(builder, factory, model, instance, sg, NodeInstanceState.Uninitialized);
        GraphBuilder.Sequence([[announce], [uninstall], [install]]);
        return sg;
    }
}
