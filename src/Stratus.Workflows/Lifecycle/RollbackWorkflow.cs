using Stratus.Core.Model;
using Stratus.Workflows.Engine;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>rollback</c> workflow: the selected instances left in an unresolved state (creating, configuring,
/// starting) are rolled back to a resolved one (graph <c>rollback</c>, failures ignored); with <c>full_rollback</c>
/// every instance of the deployment is then uninstalled (graph <c>uninstall-auninstall</c>, Cloudify's name).
/// </summary>
internal static class RollbackWorkflow
{
    private static readonly string[] Unresolved = [NodeInstanceState.Creating, NodeInstanceState.Configuring, NodeInstanceState.Starting];

    public static async Task<GraphOutcome> RunAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var model = await run.LoadModelAsync(cancellationToken);
        var unresolved = BuiltInWorkflows.Ids(InstanceFilter.Select(model, run.Parameters).Where(i => Unresolved.Contains(i.State)));
        var rolledBack = await run.RunGraphAsync(
            "rollback", (b, f, m) => LifecycleGraph.Rollback(b, f, m, BuiltInWorkflows.Pick(m, unresolved)), cancellationToken: cancellationToken);
        if (rolledBack.Status != ExecutionStatus.Terminated || InstanceFilter.Flag(run.Parameters, "full_rollback") != true)
        {
            return rolledBack;
        }

        return await run.RunGraphAsync(
            "uninstall-auninstall", (b, f, m) => LifecycleGraph.Uninstall(b, f, m, m.Instances, ignoreFailure: false), cancellationToken: cancellationToken);
    }
}
