using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// What a resumed run says about operations that were in flight when the previous manager stopped: each is sent again
/// (an operation may so run twice, as Cloudify warns of resumed executions) and named in the execution's events first.
/// </summary>
internal sealed partial class GraphRunner
{
    private readonly HashSet<string> _resent = new(StringComparer.Ordinal);

    private Task AnnounceResentAsync(GraphTask task, CancellationToken cancellationToken) =>
        _events.AddAsync(
            _eventFactory.Create(
                "workflow_node_event",
                $"Re-sending task '{task.Name}' ({task.OperationName}): it was in flight when the previous manager stopped and may run twice",
                task.NodeInstanceId,
                GraphTask.Text(task.CloudifyContext, "node_name"),
                task.OperationName),
            cancellationToken);
}
