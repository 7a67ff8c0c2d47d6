using Stratus.Contracts.Tasks;
using Stratus.Core.Model;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Operations claimed by a manager's own agent when that manager died. Agents claim each attempt before running it, so
/// the broker's redelivery of such an operation to another manager's agent is refused while the dead manager's row
/// still looks alive; once it does not (<see cref="WorkflowOptions.ClaimHolderTimeout"/>, judged only while this
/// manager's own heartbeats show unbroken database contact over that time: <see cref="ClaimHolderCheck"/>) at two
/// checks in a row, this run releases the claim and sends the same attempt again, and an agent takes the claim over.
/// Only on a durable broker: on the in-process one the whole run restarts with its manager and resends what was in
/// flight.
/// </summary>
internal sealed partial class GraphRunner
{
    private const int ClaimCheckChunk = 500;

    private readonly HashSet<string> _orphanSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _orphanResentAt = new(StringComparer.Ordinal);
    private DateTimeOffset _nextClaimCheck;

    /// <summary>
    /// A failure from an agent that could not claim the attempt (no answer from its manager or the database for its
    /// whole claim window, e.g. a copy redelivered by the broker during a long outage) says only that nothing ran
    /// there. When another claimant holds that attempt it may be running it still: retrying as a new attempt would be
    /// claimable beside it, so the failure is ignored and the task stays in flight (the holder's reply settles it, or
    /// the orphan and agent heartbeat checks do if the holder is gone).
    /// </summary>
    private async Task<bool> HeldByAnotherClaimantAsync(Graph.GraphTask task, Reply reply, CancellationToken cancellationToken)
    {
        if (reply.Response is not { Ok: false, Error: { ExceptionType: TaskError.NotClaimed } error })
        {
            return false;
        }

        var claimant = error.KnownExceptionTypeKwargs?[TaskError.ClaimIdKwarg] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? id) ? id : null;
        var stored = await _store.GetOperationAsync(task.Id, cancellationToken);
        if (stored is not { ClaimedAttempt: { } claimed, ClaimedBy: { } holder } || claimed != reply.Attempt || holder == claimant)
        {
            return false;
        }

        Log.NotClaimedIgnored(_logger, task.Id, reply.Attempt, stored.AgentName);
        return true;
    }

    private async Task CheckOrphanedClaimsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_broker.KeepsMessagesAcrossRestarts || _inFlight.Count == 0 || now < _nextClaimCheck)
        {
            return;
        }

        _nextClaimCheck = now + _options.AgentCheckInterval;
        // Judged on this manager's own heartbeat chain: after a database outage every manager looks silent until its
        // writer beats again, so nobody is gone before this manager has been in contact for the whole timeout.
        var holders = new ClaimHolderCheck(_options.ManagerId, now, _options.ClaimHolderTimeout);
        var orphaned = new List<(string Id, int Attempt)>();
        foreach (var chunk in _inFlight.Where(id => !_agentOf.ContainsKey(id)).Chunk(ClaimCheckChunk))
        {
            orphaned.AddRange(await _store.ListOrphanedOperationClaimsAsync(chunk, holders, cancellationToken));
        }

        var seenNow = new HashSet<string>(StringComparer.Ordinal);
        var due = new List<string>();
        foreach (var (id, attempt) in orphaned)
        {
            // Seen at two checks in a row: a reply the dead manager's agent sent before it died has had a whole check
            // interval to reach this run, so the operation was very likely cut off (ClaimHolderCheck: a reply held back
            // in the broker behind a backlog larger than the prefetch is the case this margin does not cover).
            var secondSight = _orphanSeen.Contains(id);
            seenNow.Add(id);
            if (secondSight && _tasks.TryGetValue(id, out var task) && attempt >= task.CurrentRetries
                && !(_orphanResentAt.TryGetValue(id, out var resent) && now < resent + _options.ClaimHolderTimeout))
            {
                due.Add(id);
            }
        }

        // Checkpoint: the claim is released before the copy is sent, so the copy can be taken over; dying in between
        // leaves a released claim that the next run's checks release again and re-send. Only this run releases: a
        // copy the broker redelivered meanwhile is refused until then, as its holder's reply may still be unread here.
        var released = new List<(string Id, int Attempt)>();
        foreach (var chunk in due.Chunk(ClaimCheckChunk))
        {
            released.AddRange(await _store.ReleaseOrphanedOperationClaimsAsync(chunk, holders, cancellationToken));
        }

        foreach (var (id, attempt) in released)
        {
            if (!_tasks.TryGetValue(id, out var task) || attempt < task.CurrentRetries)
            {
                continue;
            }

            Log.ClaimOrphaned(_logger, id, attempt);
            task.CurrentRetries = attempt;
            _resumedInFlight.Remove(id);
            _orphanResentAt[id] = now;
            await _events.AddAsync(
                _eventFactory.Create(
                    "workflow_node_event",
                    $"Re-sending task '{task.Name}' ({task.OperationName}): the manager whose agent was running it is gone",
                    task.NodeInstanceId,
                    Graph.GraphTask.Text(task.CloudifyContext, "node_name"),
                    task.OperationName),
                cancellationToken);
            await DispatchAsync(task, cancellationToken);
        }

        _orphanSeen.Clear();
        _orphanSeen.UnionWith(seenNow);
    }
}
