using Stratus.Core.Model;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's clean-up before a resumed install (<c>_update_resumed_install</c>): an instance left <c>creating</c>
/// whose create is about to be sent again gets delete (and postdelete) first; one left <c>starting</c> whose start is
/// about to be sent again gets prestop and stop first. The clean-up is a subgraph next to the install subgraph,
/// <c>resume_cleanup_&lt;instance&gt;</c> whose failures are ignored, between the events "Rolling back prior to resuming
/// install" and "Finished rolling back, now resuming install". An instance left <c>configuring</c> is configured again
/// without clean-up, as in Cloudify. Stratus sends an operation that was in flight again, so "about to be sent again"
/// means not yet ended.
/// </summary>
internal static class ResumeCleanup
{
    private const string Prefix = "resume_cleanup_";

    /// <summary>True for the graphs <see cref="LifecycleGraph.Install(GraphBuilder, OperationTaskFactory, DeploymentModel, System.Text.Json.Nodes.JsonObject)"/> builds (install, reinstall-install, scale's install).</summary>
    public static bool AppliesTo(string graphName) =>
        graphName.EndsWith("install", StringComparison.Ordinal) && !graphName.EndsWith("uninstall", StringComparison.Ordinal);

    /// <summary>
    /// Adds (and stores) the clean-up subgraphs a resumed install graph needs and makes the re-sent operations wait for
    /// them; returns the graph's tasks with the additions.
    /// </summary>
    public static async Task<IReadOnlyList<GraphTask>> ApplyAsync(
        WorkflowRun run, string graphId, IReadOnlyList<GraphTask> tasks, DeploymentModel model, OperationTaskFactory factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(model);
        var builder = run.NewBuilder();
        var byParent = tasks.Where(t => t.ContainingSubgraph is not null).ToLookup(t => t.ContainingSubgraph!, StringComparer.Ordinal);
        foreach (var install in tasks.Where(t => t.Type == TaskTypes.Subgraph && t.Name.StartsWith("install_", StringComparison.Ordinal) && !t.IsTerminated))
        {
            var instanceId = install.Name["install_".Length..];
            if (!model.InstancesById.TryGetValue(instanceId, out var instance))
            {
                continue;
            }

            var create = Resent(byParent[install.Id], LifecycleOperations.Create);
            var start = Resent(byParent[install.Id], LifecycleOperations.Start);
            // A clean-up stored by an earlier resume (this one may follow another crash) still gates the re-sent tasks:
            // the dependency lives only in memory and is derived again from the subgraph's name on every resume.
            var cleanups = tasks.Where(t => t.Type == TaskTypes.Subgraph && t.Name == Prefix + instanceId && !t.IsDone).ToList();
            if (cleanups.Count == 0)
            {
                var parent = install.ContainingSubgraph is { } p ? tasks.FirstOrDefault(t => t.Id == p) : null;
                var cleanup = instance.State switch
                {
                    NodeInstanceState.Creating when create is not null => Uninstall(builder, factory, model, instance, parent),
                    NodeInstanceState.Starting when start is not null => Stop(builder, factory, model, instance, parent),
                    _ => null,
                };
                if (cleanup is not null)
                {
                    // Cloudify's _run_subgraph_before: the clean-up waits for what the install subgraph waits for.
                    cleanup.Dependencies.UnionWith(install.Dependencies);
                    cleanups.Add(cleanup);
                }
            }

            foreach (var resent in new[] { create, start }.OfType<GraphTask>())
            {
                resent.Dependencies.UnionWith(cleanups.Select(c => c.Id));
            }
        }

        if (builder.Tasks.Count == 0)
        {
            return tasks;
        }

        var now = run.Time.GetUtcNow();
        await run.Store.InsertOperationsAsync(
            graphId, [.. builder.Tasks.Select(t => t.ToRecord(graphId, run.Identity.TenantName, run.Options.ManagerName, now))], cancellationToken);
        // Checkpoint: the clean-up is stored; if the manager dies before the re-sent operations end, the next resume finds
        // it by name and makes them wait for it again.
        return [.. tasks, .. builder.Tasks];
    }

    private static GraphTask? Resent(IEnumerable<GraphTask> children, string operation) =>
        children.FirstOrDefault(t => t.Type == TaskTypes.Remote && t.OperationName == operation && !t.IsTerminated);

    private static GraphTask? Uninstall(GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance, GraphTask? parent)
    {
        var sg = builder.Subgraph(Prefix + instance.Id, parent);
        var node = model.NodeOf(instance);
        List<IReadOnlyList<GraphTask>> steps = [];
        if (factory.Create(builder, sg, instance, node, LifecycleOperations.Delete, node.Operations) is { } delete)
        {
            steps.AddRange([[builder.NodeEvent(sg, instance.Id, "Deleting node instance")], [delete], [builder.NodeEvent(sg, instance.Id, "Deleted node instance")]]);
        }

        if (factory.Create(builder, sg, instance, node, LifecycleOperations.Postdelete, node.Operations) is { } postdelete)
        {
            steps.AddRange([[builder.NodeEvent(sg, instance.Id, "Postdeleting node instance")], [postdelete], [builder.NodeEvent(sg, instance.Id, "Node instance postdeleted")]]);
        }

        return Finish(builder, sg, instance.Id, steps);
    }

    private static GraphTask? Stop(GraphBuilder builder, OperationTaskFactory factory, DeploymentModel model, NodeInstance instance, GraphTask? parent)
    {
        var sg = builder.Subgraph(Prefix + instance.Id, parent);
        var node = model.NodeOf(instance);
        List<IReadOnlyList<GraphTask>> steps = [];
        if (factory.Create(builder, sg, instance, node, LifecycleOperations.Prestop, node.Operations) is { } prestop)
        {
            steps.AddRange([[builder.NodeEvent(sg, instance.Id, "Prestopping node instance")], [prestop], [builder.NodeEvent(sg, instance.Id, "Node instance prestopped")]]);
        }

        if (factory.Create(builder, sg, instance, node, LifecycleOperations.Stop, node.Operations) is { } stop)
        {
            steps.AddRange([[stop], [builder.NodeEvent(sg, instance.Id, "Stopped node instance")]]);
        }

        return Finish(builder, sg, instance.Id, steps);
    }

    /// <summary>The clean-up between its two events, every failure in it ignored; nothing at all when it has no operation.</summary>
    private static GraphTask? Finish(GraphBuilder builder, GraphTask subgraph, string instanceId, List<IReadOnlyList<GraphTask>> steps)
    {
        if (steps.Count == 0)
        {
            foreach (var task in builder.Tasks.Where(t => t == subgraph || t.ContainingSubgraph == subgraph.Id).ToList())
            {
                builder.Remove(task);
            }

            return null;
        }

        GraphBuilder.Sequence(
        [
            [builder.NodeEvent(subgraph, instanceId, "Rolling back prior to resuming install")],
            .. steps,
            [builder.NodeEvent(subgraph, instanceId, "Finished rolling back, now resuming install")],
        ]);
        foreach (var task in builder.Tasks.Where(t => t == subgraph || t.ContainingSubgraph == subgraph.Id))
        {
            task.IgnoreFailure = true;
        }

        return subgraph;
    }
}
