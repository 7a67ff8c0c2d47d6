using Stratus.Core.Model;

namespace Stratus.Workflows.Tests.Support;

/// <summary>Managers and execution leases, with the same compare-and-set rules as the SQL store.</summary>
internal sealed partial class InMemoryStore
{
    private readonly Dictionary<string, ManagerRecord> _managers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionLease> _leases = new(StringComparer.Ordinal);
    private readonly List<(string Id, string State, TaskCompletionSource Done)> _operationWaiters = [];

    /// <summary>While true, lease renewals fail as with an unreachable database.</summary>
    public bool FailLeaseRenewals { get; set; }

    /// <summary>While true, claiming an execution by compare-and-set fails as with an unreachable database.</summary>
    public bool FailClaims { get; set; }

    /// <summary>Claims refused so far because of <see cref="FailClaims"/>.</summary>
    public int FailedClaims => Volatile.Read(ref _failedClaims);

    private int _failedClaims;

    /// <summary>Completes when operation <paramref name="id"/> is stored in <paramref name="state"/> (or already is).</summary>
    public Task WhenOperationState(string id, string state)
    {
        lock (_gate)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_operations.TryGetValue(id, out var op) && op.State == state)
            {
                done.SetResult();
            }
            else
            {
                _operationWaiters.Add((id, state, done));
            }

            return done.Task;
        }
    }

    /// <summary>Called under the gate by UpdateOperationStatesAsync.</summary>
    private void SignalOperationState(string id, string state)
    {
        foreach (var waiter in _operationWaiters.Where(w => w.Id == id && w.State == state).ToList())
        {
            waiter.Done.TrySetResult();
            _operationWaiters.Remove(waiter);
        }
    }

    public Task UpsertManagerAsync(ManagerRecord manager, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var known = _managers.TryGetValue(manager.Name, out var old);
            // The chain of contact goes on only for a beat that came by the previous one's promise, from the same start.
            var unbroken = known && old!.StartedAt == manager.StartedAt && old.NextBeatBy >= manager.LastSeen && old.ContactSince is not null;
            _managers[manager.Name] = manager with
            {
                Id = known ? old!.Id : _managers.Count + 1,
                ContactSince = unbroken ? old!.ContactSince : manager.LastSeen,
            };
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ManagerRecord>> ListManagersAsync(DateTimeOffset seenSince, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ManagerRecord>>([.. _managers.Values.Where(m => m.LastSeen >= seenSince).OrderBy(m => m.Id)]);
        }
    }

    public Task DeleteManagerAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _managers.Remove(name);
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryClaimExecutionAsync(
        string executionId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (FailClaims)
        {
            Interlocked.Increment(ref _failedClaims);
            throw new TimeoutException("The database did not answer (simulated).");
        }

        lock (_gate)
        {
            if (!_executions.TryGetValue(executionId, out var e) || !ExecutionStatus.IsActive(e.Status)
                || (_leases.TryGetValue(executionId, out var lease) && lease.Owner != owner && lease.ExpiresAt > now))
            {
                return Task.FromResult(false);
            }

            _leases[executionId] = new ExecutionLease(owner, expiresAt);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> RenewExecutionLeasesAsync(
        string owner, IReadOnlyList<string> executionIds, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (FailLeaseRenewals)
        {
            throw new TimeoutException("The database did not answer (simulated).");
        }

        lock (_gate)
        {
            var held = executionIds.Where(id => _leases.TryGetValue(id, out var l) && l.Owner == owner).ToList();
            foreach (var id in held)
            {
                _leases[id] = new ExecutionLease(owner, expiresAt);
            }

            return Task.FromResult<IReadOnlyList<string>>(held);
        }
    }

    public Task ReleaseExecutionLeaseAsync(string executionId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(executionId, out var l) && l.Owner == owner)
            {
                _leases[executionId] = l with { ExpiresAt = now };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ClaimOrphanedExecutionsAsync(
        string owner, DateTimeOffset now, DateTimeOffset expiresAt, int limit, bool includeUnleased, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var ids = _executions.Values
                .Where(e => ExecutionStatus.IsActive(e.Status))
                .Where(e => _leases.TryGetValue(e.Id, out var l) ? l.ExpiresAt <= now : includeUnleased)
                .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
                .Take(Math.Max(0, limit))
                .Select(e => e.Id)
                .ToList();
            foreach (var id in ids)
            {
                _leases[id] = new ExecutionLease(owner, expiresAt);
            }

            return Task.FromResult<IReadOnlyList<string>>(ids);
        }
    }

    public Task<IReadOnlyList<string>> ClaimStalePendingExecutionsAsync(
        string owner, DateTimeOffset createdBefore, DateTimeOffset expiresAt, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var ids = _executions.Values
                .Where(e => e.Status == ExecutionStatus.Pending && !_leases.ContainsKey(e.Id) && e.CreatedAt <= createdBefore)
                .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
                .Take(Math.Max(0, limit))
                .Select(e => e.Id)
                .ToList();
            foreach (var id in ids)
            {
                _leases[id] = new ExecutionLease(owner, expiresAt);
            }

            return Task.FromResult<IReadOnlyList<string>>(ids);
        }
    }

    public Task<ExecutionLease?> GetExecutionLeaseAsync(string executionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_leases.GetValueOrDefault(executionId));
        }
    }
}
