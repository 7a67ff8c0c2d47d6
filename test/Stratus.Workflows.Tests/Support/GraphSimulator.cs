using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Tests.Support;

/// <summary>
/// Runs a built graph on paper, one ready task at a time, every task succeeding, and returns what a user would see
/// happen: node events, state changes and operations, each prefixed by its node instance.
/// </summary>
internal static class GraphSimulator
{
    public static IReadOnlyList<string> Run(IReadOnlyList<GraphTask> tasks)
    {
        var byId = tasks.ToDictionary(t => t.Id);
        var state = tasks.ToDictionary(t => t.Id, _ => "pending");
        var trace = new List<string>();
        bool Met(GraphTask task) => task.Dependencies.All(d =>
            state[d] == "succeeded" || (state[d] == "started" && task.ContainingSubgraph == d));

        while (true)
        {
            var next = tasks.FirstOrDefault(t => state[t.Id] == "pending" && Met(t));
            if (next is null)
            {
                var closing = tasks.FirstOrDefault(t => t.Type == TaskTypes.Subgraph && state[t.Id] == "started"
                    && tasks.Where(c => c.ContainingSubgraph == t.Id).All(c => state[c.Id] == "succeeded"));
                if (closing is null)
                {
                    break;
                }

                state[closing.Id] = "succeeded";
                continue;
            }

            if (next.Type == TaskTypes.Subgraph)
            {
                state[next.Id] = "started";
                continue;
            }

            state[next.Id] = "succeeded";
            trace.Add(Describe(next));
        }

        var stuck = tasks.Where(t => state[t.Id] != "succeeded").Select(t => t.Name).ToList();
        Assert.True(stuck.Count == 0, "Tasks never ran: " + string.Join(", ", stuck));
        return trace;
    }

    public static string Describe(GraphTask task) => task.Type switch
    {
        TaskTypes.SendNodeEvent => $"{task.NodeInstanceId}: {task.Info}",
        TaskTypes.SetNodeInstanceState => $"{task.NodeInstanceId} -> {task.Info}",
        _ => $"{task.NodeInstanceId}: {task.OperationName}",
    };
}
