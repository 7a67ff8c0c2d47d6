using Stratus.Core.Model;

namespace Stratus.Workflows.Tests.Support;

/// <summary>Operation claims, with the same compare-and-set rules as the SQL store.</summary>
internal sealed partial class InMemoryStore
{
    private readonly Dictionary<string, (int Attempt, string? ClaimId, string? Manager, DateTimeOffset At)> _claims = new(StringComparer.Ordinal);

    public Task<OperationClaimResult> ClaimOperationAsync(OperationClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (!_operations.TryGetValue(claim.OperationId, out var op) || op.TenantName != claim.TenantName
                || (claim.ExecutionId is { } e && !_graphs.Any(g => g.Id == op.GraphId && g.ExecutionId == e)))
            {
                return Task.FromResult(OperationClaimResult.NotFound);
            }

            var held = _claims.TryGetValue(claim.OperationId, out var c) ? c : ((int Attempt, string? ClaimId, string? Manager, DateTimeOffset At)?)null;
            var granted = op.State != "succeeded" && !OperationStates.HasFinished(op.State, op.Attempt, claim.Attempt)
                && (held is null || held.Value.Attempt < claim.Attempt
                    || (held.Value.Attempt == claim.Attempt && (held.Value.ClaimId == claim.ClaimId || held.Value.ClaimId is null)));
            if (!granted)
            {
                return Task.FromResult(new OperationClaimResult(OperationClaimOutcome.Refused, op.State, held?.Attempt, op.AgentName, op.Attempt));
            }

            _claims[claim.OperationId] = (claim.Attempt, claim.ClaimId, claim.ManagerName, claim.ClaimedAt);
            _operations[claim.OperationId] = op with
            {
                State = "started", Attempt = claim.Attempt, ClaimedAttempt = claim.Attempt, ClaimedBy = claim.ClaimId, AgentName = claim.AgentName, ManagerName = claim.ManagerName,
            };
            return Task.FromResult(OperationClaimResult.Claimed);
        }
    }

    private readonly List<(DateTimeOffset At, TaskCompletionSource Done)> _orphanCheckWaiters = [];

    /// <summary>Completes once a run has checked for orphaned claims at or after <paramref name="at"/> (its clock).</summary>
    public Task WhenOrphanCheckAt(DateTimeOffset at)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _orphanCheckWaiters.Add((at, done));
        }

        return done.Task;
    }

    public Task<IReadOnlyList<(string Id, int Attempt)>> ListOrphanedOperationClaimsAsync(
        IReadOnlyList<string> operationIds, ClaimHolderCheck holders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holders);
        lock (_gate)
        {
            foreach (var waiter in _orphanCheckWaiters.Where(w => w.At <= holders.Now).ToList())
            {
                waiter.Done.TrySetResult();
                _orphanCheckWaiters.Remove(waiter);
            }

            return Task.FromResult<IReadOnlyList<(string, int)>>(
            [
                .. operationIds
                    .Where(id => _claims.TryGetValue(id, out var c) && _operations[id].State is not ("succeeded" or "failed")
                        && Orphaned(c.Manager, c.At, holders))
                    .Order(StringComparer.Ordinal)
                    .Select(id => (id, _claims[id].Attempt)),
            ]);
        }
    }

    public Task<IReadOnlyList<(string Id, int Attempt)>> ReleaseOrphanedOperationClaimsAsync(
        IReadOnlyList<string> operationIds, ClaimHolderCheck holders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holders);
        lock (_gate)
        {
            var released = new List<(string, int)>();
            foreach (var id in operationIds.Order(StringComparer.Ordinal))
            {
                if (_claims.TryGetValue(id, out var c) && _operations[id].State is not ("succeeded" or "failed") && Orphaned(c.Manager, c.At, holders))
                {
                    _claims[id] = c with { ClaimId = null };
                    _operations[id] = _operations[id] with { ClaimedBy = null };
                    released.Add((id, c.Attempt));
                }
            }

            return Task.FromResult<IReadOnlyList<(string, int)>>(released);
        }
    }

    private bool Orphaned(string? manager, DateTimeOffset claimedAt, ClaimHolderCheck holders) =>
        manager is not null
        && !(_managers.TryGetValue(manager, out var m) && m.StartedAt <= claimedAt && m.LastSeen >= holders.HoldersSeenSince)
        && holders.Observer is { } observer && _managers.TryGetValue(observer, out var o)
        && o.ContactSince <= holders.HoldersSeenSince && o.NextBeatBy >= holders.Now;
}
