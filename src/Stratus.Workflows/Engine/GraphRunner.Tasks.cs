using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

internal sealed partial class GraphRunner
{
    /// <summary>Starts ready tasks and closes finished subgraphs until nothing more can move without a reply.</summary>
    private async Task AdvanceAsync(CancellationToken cancellationToken)
    {
        bool progress;
        do
        {
            progress = false;
            if (_cancelStatus is null)
            {
                var now = _time.GetUtcNow();
                foreach (var due in _delayed.Where(t => t.ExecuteAfter is not { } at || at <= now).ToList())
                {
                    _delayed.Remove(due);
                    _candidates.Add(due);
                }

                var candidates = _candidates.ToList();
                _candidates.Clear();
                foreach (var task in candidates)
                {
                    if (task.State != OperationStates.Pending || !_tasks.ContainsKey(task.Id) || !DependenciesMet(task))
                    {
                        continue;
                    }

                    if (task.ExecuteAfter is { } at && at > now)
                    {
                        _delayed.Add(task);
                        continue;
                    }

                    await StartAsync(task, cancellationToken);
                    progress = true;
                }
            }

            progress |= await CloseSubgraphsAsync(cancellationToken);
        }
        while (progress);
    }

    /// <summary>
    /// A dependency is met when it succeeded; a task's own subgraph counts as met once the subgraph has started
    /// (so a subgraph's dependencies gate all of its tasks, and its dependents wait for all of them).
    /// </summary>
    private bool DependenciesMet(GraphTask task)
    {
        foreach (var id in task.Dependencies)
        {
            if (!_tasks.TryGetValue(id, out var dependency) || dependency.IsDone)
            {
                continue;
            }

            if (dependency.Type == TaskTypes.Subgraph && dependency.State == OperationStates.Started && task.ContainingSubgraph == id)
            {
                continue;
            }

            return false;
        }

        return true;
    }

    private async Task StartAsync(GraphTask task, CancellationToken cancellationToken)
    {
        switch (task.Type)
        {
            case TaskTypes.Subgraph:
                SetState(task, OperationStates.Started);
                await _events.AddAsync(_eventFactory.Create("task_started", ErrorText.TaskEvent(task, OperationStates.Started, null)), cancellationToken);
                break;
            case TaskTypes.SetNodeInstanceState:
                if (!_identity.DryRun && task.NodeInstanceId is { } instanceId && GraphTask.Text(task.TaskKwargs, "state") is { } state)
                {
                    // One state per instance per flush: the last one set wins.
                    _nodeStates[instanceId] = state;
                }

                SetState(task, OperationStates.Succeeded);
                break;
            case TaskTypes.SendNodeEvent:
                await _events.AddAsync(
                    _eventFactory.Create("workflow_node_event", GraphTask.Text(task.TaskKwargs, "event") ?? task.Info ?? "", task.NodeInstanceId),
                    cancellationToken);
                SetState(task, OperationStates.Succeeded);
                break;
            case TaskTypes.Remote when _identity.DryRun && task.Name != Contracts.Tasks.QueueNames.ExecuteWorkflowTask:
                // A workflow script still runs in a dry run (as Cloudify's workflow function does); its operations do not.
                await RunResultHandlerAsync(task, task.OnSuccess, true, null, cancellationToken);
                SetState(task, OperationStates.Succeeded);
                await _events.AddAsync(
                    _eventFactory.Create(
                        "task_succeeded",
                        ErrorText.TaskEvent(task, OperationStates.Succeeded, null) + _identity.DryRunSuffix,
                        task.NodeInstanceId,
                        GraphTask.Text(task.CloudifyContext, "node_name"),
                        task.OperationName),
                    cancellationToken);
                break;
            case TaskTypes.Remote:
                await DispatchAsync(task, cancellationToken);
                break;
            default:
                SetState(task, OperationStates.Succeeded);
                break;
        }
    }

    private async Task<bool> CloseSubgraphsAsync(CancellationToken cancellationToken)
    {
        var progress = false;
        var toCheck = _subgraphsToCheck.ToList();
        _subgraphsToCheck.Clear();
        foreach (var subgraph in toCheck.Select(id => _tasks.GetValueOrDefault(id)).OfType<GraphTask>().Where(t => t.State == OperationStates.Started))
        {
            var children = _children.GetValueOrDefault(subgraph.Id) ?? [];
            if (children.All(c => c.IsDone))
            {
                SetState(subgraph, OperationStates.Succeeded);
                await _events.AddAsync(_eventFactory.Create("task_succeeded", ErrorText.TaskEvent(subgraph, OperationStates.Succeeded, null)), cancellationToken);
                if (TaskHandlers.Path(subgraph.OnSuccess) == TaskHandlers.HealOnSuccess)
                {
                    await MarkHealedAsync(subgraph, cancellationToken);
                }

                progress = true;
            }
        }

        return progress;
    }
}
