using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// What lets a run be resumed by another manager without doing anything twice: operations still in flight on a
/// durable broker are awaited rather than resent, and task events carry an idempotency key (task, attempt, type), so
/// an event stored by the previous owner before it died is not stored again when the same reply is handled again.
/// A run resumed on the in-process broker (which keeps nothing) sends in-flight operations again and names each in the
/// execution's events first (an operation may so run twice, as Cloudify warns of resumed executions).
/// </summary>
internal sealed partial class GraphRunner
{
    /// <summary>Tasks restored as in flight: their attempt number is the one on the queue, which the store may not know.</summary>
    private readonly HashSet<string> _resumedInFlight = new(StringComparer.Ordinal);

    /// <summary>Tasks restored as in flight on a broker that keeps nothing: sent again, announced first.</summary>
    private readonly HashSet<string> _resent = new(StringComparer.Ordinal);

    private static StoredEvent Keyed(StoredEvent storedEvent, GraphTask task) =>
        storedEvent with { IdempotencyKey = $"{task.Id}/{task.CurrentRetries}/{storedEvent.EventType}" };

    /// <summary>The first reply to a task restored in flight tells which attempt was on the queue.</summary>
    private void AdoptResumedAttempt(Reply reply)
    {
        if (_resumedInFlight.Remove(reply.TaskId) && _tasks.TryGetValue(reply.TaskId, out var task) && reply.Attempt > task.CurrentRetries)
        {
            task.CurrentRetries = reply.Attempt;
        }
    }

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
