using Stratus.Core.Model;
using Stratus.Workflows.Graph;
using Stratus.Workflows.Lifecycle;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Failure propagation through subgraphs and Cloudify's subgraph retries: a failed top-level instance subgraph with
/// <c>_SubgraphOnFailure</c> is replaced, while retries remain, by a new subgraph (a reinstall or an uninstall of the
/// instance) that is stored with <c>retried_task</c> pointing at the old one and takes its place for everything that
/// waited for it.
/// </summary>
internal sealed partial class GraphRunner
{
    /// <summary>
    /// The tasks as a resumed run sees them: tasks left unfinished inside a failed subgraph are gone (Cloudify removes
    /// them when the subgraph fails), and a dependency on a task that was retried means its newest retry.
    /// </summary>
    private static Dictionary<string, GraphTask> Restore(IEnumerable<GraphTask> all)
    {
        var byId = all.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var retries = byId.Values.Where(t => t.RetriedTask is not null).ToDictionary(t => t.RetriedTask!, t => t.Id, StringComparer.Ordinal);
        bool InFailedSubgraph(GraphTask task)
        {
            for (var parent = task.ContainingSubgraph; parent is not null && byId.TryGetValue(parent, out var p); parent = p.ContainingSubgraph)
            {
                if (p.State == OperationStates.Failed)
                {
                    return true;
                }
            }

            return false;
        }

        var dead = byId.Values.Where(t => !t.IsTerminated && InFailedSubgraph(t)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        string? Resolve(string id)
        {
            for (var guard = 0; guard < byId.Count + 1; guard++)
            {
                if (retries.TryGetValue(id, out var next))
                {
                    id = next;
                    continue;
                }

                if (!dead.Contains(id))
                {
                    return id;
                }

                // A dead task stands for its nearest retried ancestor's replacement, if any.
                var ancestor = byId[id].ContainingSubgraph;
                while (ancestor is not null && !retries.ContainsKey(ancestor) && byId.TryGetValue(ancestor, out var a))
                {
                    ancestor = a.ContainingSubgraph;
                }

                if (ancestor is null || !retries.ContainsKey(ancestor))
                {
                    return id;
                }

                id = ancestor;
            }

            return id;
        }

        var live = new Dictionary<string, GraphTask>(StringComparer.Ordinal);
        foreach (var task in byId.Values.Where(t => !dead.Contains(t.Id)))
        {
            foreach (var dependency in task.Dependencies.ToList())
            {
                if (Resolve(dependency) is { } resolved && resolved != dependency && resolved != task.Id)
                {
                    task.Dependencies.Remove(dependency);
                    task.Dependencies.Add(resolved);
                }
            }

            live[task.Id] = task;
        }

        return live;
    }

    private void Attach(GraphTask task)
    {
        if (task.ContainingSubgraph is { } parent)
        {
            if (!_children.TryGetValue(parent, out var list))
            {
                _children[parent] = list = [];
            }

            list.Add(task);
        }

        foreach (var dependency in task.Dependencies)
        {
            if (!_dependents.TryGetValue(dependency, out var dependents))
            {
                _dependents[dependency] = dependents = [];
            }

            dependents.Add(task);
        }
    }

    /// <summary>True when a failure inside a subgraph was taken over by a retry of it or ignored by its handler.</summary>
    private bool IsAbsorbed(GraphTask task)
    {
        for (var parent = task.ContainingSubgraph; parent is not null && _tasks.TryGetValue(parent, out var p); parent = p.ContainingSubgraph)
        {
            if (p.IgnoreFailure || _tasks.Values.Any(t => t.RetriedTask == p.Id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A failed task fails its subgraph: the subgraph's unfinished tasks are dropped and its handler decides: a failed
    /// heal is noted and ignored, a top-level instance subgraph with retries left is replaced, anything else fails the
    /// subgraph around it, up to the workflow.
    /// </summary>
    private async Task FailContainingAsync(GraphTask failed, GraphTask origin, CancellationToken cancellationToken)
    {
        if (failed.ContainingSubgraph is not { } parentId || !_tasks.TryGetValue(parentId, out var parent))
        {
            _failed.Add(origin);
            _firstFailureAt ??= _time.GetUtcNow();
            return;
        }

        if (parent.IsTerminated)
        {
            // Another task of the same subgraph failed first and already settled it.
            return;
        }

        parent.Error = origin.Error?.DeepClone() as System.Text.Json.Nodes.JsonObject;
        var orphans = Detach(parent);
        SetState(parent, OperationStates.Failed);
        await _events.AddAsync(_eventFactory.Create("task_failed", ErrorText.TaskEvent(parent, OperationStates.Failed, null)), cancellationToken);
        var handler = TaskHandlers.Path(parent.OnFailure);
        if (handler == TaskHandlers.HealOnFailure)
        {
            await MarkHealFailedAsync(parent, cancellationToken);
        }
        else if (handler == TaskHandlers.SubgraphOnFailure && parent.ContainingSubgraph is null
            && (parent.TotalRetries < 0 || parent.CurrentRetries < parent.TotalRetries))
        {
            await RetrySubgraphAsync(parent, orphans, cancellationToken);
        }
        else
        {
            await FailContainingAsync(parent, origin, cancellationToken);
        }
    }

    /// <summary>
    /// Drops the unfinished tasks inside <paramref name="subgraph"/> (replies for those in flight are then ignored)
    /// and returns the tasks outside it that waited for one of them.
    /// </summary>
    private List<GraphTask> Detach(GraphTask subgraph)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(subgraph.Id);
        while (stack.Count > 0)
        {
            foreach (var child in _children.GetValueOrDefault(stack.Pop()) ?? [])
            {
                stack.Push(child.Id);
                if (!child.IsTerminated)
                {
                    removed.Add(child.Id);
                }
            }
        }

        foreach (var id in removed)
        {
            var task = _tasks[id];
            _tasks.Remove(id);
            _inFlight.Remove(id);
            _delayed.Remove(task);
            _candidates.Remove(task);
            if (task.ContainingSubgraph is { } parent && _children.TryGetValue(parent, out var siblings))
            {
                siblings.Remove(task);
            }
        }

        return [.. removed
            .SelectMany(id => _dependents.GetValueOrDefault(id) ?? [])
            .Where(t => !removed.Contains(t.Id) && _tasks.ContainsKey(t.Id))
            .Distinct()];
    }

    /// <summary>Replaces a failed top-level instance subgraph by a reinstall (or uninstall) of the instance.</summary>
    private async Task RetrySubgraphAsync(GraphTask old, List<GraphTask> orphans, CancellationToken cancellationToken)
    {
        var instanceId = GraphTask.Text(old.OnFailure, "instance_id");
        if (_nodeStates.Count > 0)
        {
            // The replacement is built from the instance's state as this run left it so far.
            await _store.SetNodeInstanceStatesAsync(_identity.TenantName, [.. _nodeStates.Select(s => (s.Key, s.Value))], cancellationToken);
            _nodeStates.Clear();
        }

        var model = await _run.LoadModelAsync(cancellationToken);
        if (instanceId is null || !model.InstancesById.TryGetValue(instanceId, out var instance))
        {
            await FailContainingAsync(old, old, cancellationToken);
            return;
        }

        var builder = _run.NewBuilder();
        var replacement = GraphTask.Text(old.OnFailure, "on_retry") == "uninstall"
            ? UninstallSubgraph.Build(builder, _factory, model, instance)
            : ReinstallSubgraph.Build(builder, _factory, model, instance);
        replacement.CurrentRetries = old.CurrentRetries + 1;
        replacement.RetriedTask = old.Id;
        replacement.Dependencies.UnionWith(old.Dependencies);
        var now = _time.GetUtcNow();
        await _store.InsertOperationsAsync(
            _graphId, [.. builder.Tasks.Select(t => t.ToRecord(_graphId, _identity.TenantName, _options.ManagerName, now))], cancellationToken);
        // Checkpoint: the replacement is stored with retried_task = the old subgraph; a restart from here restores it
        // in the old one's place (dependencies on the old subgraph or its dropped tasks resolve to it).
        foreach (var task in builder.Tasks)
        {
            _tasks[task.Id] = task;
            Attach(task);
            _candidates.Add(task);
        }

        foreach (var dependent in (_dependents.GetValueOrDefault(old.Id) ?? []).Concat(orphans).Where(t => _tasks.ContainsKey(t.Id)).Distinct().ToList())
        {
            dependent.Dependencies.Remove(old.Id);
            dependent.Dependencies.RemoveWhere(id => !_tasks.ContainsKey(id));
            dependent.Dependencies.Add(replacement.Id);
            Attach(dependent, replacement.Id);
        }
    }

    private void Attach(GraphTask dependent, string dependency)
    {
        if (!_dependents.TryGetValue(dependency, out var dependents))
        {
            _dependents[dependency] = dependents = [];
        }

        dependents.Add(dependent);
    }
}
