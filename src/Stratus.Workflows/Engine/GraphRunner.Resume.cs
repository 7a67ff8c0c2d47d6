using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// What lets a run be resumed by another manager without doing anything twice: operations still in flight on a
/// durable broker are awaited rather than resent, and task events carry an idempotency key (task, attempt, type), so
/// an event stored by the previous owner before it died is not stored again when the same reply is handled again.
/// </summary>
internal sealed partial class GraphRunner
{
    /// <summary>Tasks restored as in flight: their attempt number is the one on the queue, which the store may not know.</summary>
    private readonly HashSet<string> _resumedInFlight = new(StringComparer.Ordinal);

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
}
