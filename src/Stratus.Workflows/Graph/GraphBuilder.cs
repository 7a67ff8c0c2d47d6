using System.Text.Json.Nodes;

namespace Stratus.Workflows.Graph;

/// <summary>
/// Collects the tasks of one graph. A task created inside a subgraph waits for that subgraph (which "starts" before
/// its tasks run and ends after they all end); <see cref="Sequence"/> chains steps, each step running in parallel.
/// </summary>
internal sealed class GraphBuilder(Func<string> newId)
{
    private readonly List<GraphTask> _tasks = [];

    public IReadOnlyList<GraphTask> Tasks => _tasks;

    /// <summary>How often a failed top-level subgraph may be replaced (Cloudify's <c>subgraph_retries</c>; -1 unlimited).</summary>
    public int SubgraphRetries { get; init; }

    public string NewId() => newId();

    public GraphTask Subgraph(string name, GraphTask? parent) => Add(new GraphTask
    {
        Id = newId(),
        Type = TaskTypes.Subgraph,
        Name = name,
        ContainingSubgraph = parent?.Id,
        SendTaskEvents = true,
        TotalRetries = SubgraphRetries,
    });

    public GraphTask NodeEvent(GraphTask parent, string instanceId, string message) => Add(new GraphTask
    {
        Id = newId(),
        Type = TaskTypes.SendNodeEvent,
        Name = TaskTypes.SendNodeEvent,
        Info = message,
        ContainingSubgraph = parent.Id,
        TaskKwargs = new JsonObject
        {
            ["additional_context"] = null,
            ["event"] = message,
            ["node_instance_id"] = instanceId,
        },
    });

    public GraphTask SetState(GraphTask parent, string instanceId, string state) => Add(new GraphTask
    {
        Id = newId(),
        Type = TaskTypes.SetNodeInstanceState,
        Name = TaskTypes.SetNodeInstanceState,
        Info = state,
        ContainingSubgraph = parent.Id,
        TaskKwargs = new JsonObject { ["node_instance_id"] = instanceId, ["state"] = state },
    });

    public GraphTask Add(GraphTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.ContainingSubgraph is { } parent)
        {
            task.Dependencies.Add(parent);
        }

        _tasks.Add(task);
        return task;
    }

    public void Remove(GraphTask task) => _tasks.Remove(task);

    /// <summary>Every task of a step waits for every task of the previous non-empty step.</summary>
    public static void Sequence(IEnumerable<IReadOnlyList<GraphTask>> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        IReadOnlyList<GraphTask>? previous = null;
        foreach (var step in steps)
        {
            if (step.Count == 0)
            {
                continue;
            }

            if (previous is not null)
            {
                foreach (var task in step)
                {
                    foreach (var before in previous)
                    {
                        task.Dependencies.Add(before.Id);
                    }
                }
            }

            previous = step;
        }
    }
}
