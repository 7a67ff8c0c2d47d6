using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Storage;

namespace Stratus.Workflows.Cluster;

/// <summary>
/// The executions this manager runs, each held through a lease in the database (owner, expiry). A run starts only
/// after its lease is claimed; leases are renewed every <see cref="ExecutionLeaseOptions.RenewInterval"/>. A lease
/// that could not be renewed — another manager took it, or the database could not confirm it before it expired — is
/// marked lost and its run stops without changing the execution, which the new owner resumes from the stored graph.
/// </summary>
internal sealed partial class ExecutionLeases(
    IStratusStore store,
    TimeProvider timeProvider,
    IOptions<ExecutionLeaseOptions> options,
    ILogger<ExecutionLeases> logger)
{
    private readonly ConcurrentDictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastConfirmed;

    public string ManagerId => options.Value.ManagerId;

    public IReadOnlyCollection<string> HeldIds => [.. _held.Keys];

    private DateTimeOffset Expiry => timeProvider.GetUtcNow() + options.Value.LeaseDuration;

    /// <summary>Claims the execution for this manager; null when another live manager holds it or it is not active.</summary>
    public async Task<HeldLease?> TryAcquireAsync(string executionId, CancellationToken cancellationToken = default)
    {
        if (_held.ContainsKey(executionId))
        {
            // Already running here (the sweep started it before its start message came): one run per execution.
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (!await store.TryClaimExecutionAsync(executionId, ManagerId, now, now + options.Value.LeaseDuration, cancellationToken))
        {
            return null;
        }

        return Hold(executionId);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> executions whose manager stopped renewing (and, at start-up, those nobody
    /// holds) and returns their leases.
    /// </summary>
    public async Task<IReadOnlyList<HeldLease>> ClaimOrphansAsync(int limit, bool includeUnleased, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var ids = await store.ClaimOrphanedExecutionsAsync(ManagerId, now, Expiry, limit, includeUnleased, cancellationToken);
        foreach (var id in ids)
        {
            LogTakenOver(logger, ManagerId, id);
        }

        return [.. ids.Select(Hold)];
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> <c>pending</c> executions nobody claimed within
    /// <see cref="ExecutionLeaseOptions.PendingStartTimeout"/> of their creation (their start message was lost).
    /// </summary>
    public async Task<IReadOnlyList<HeldLease>> ClaimStalePendingAsync(int limit, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var ids = await store.ClaimStalePendingExecutionsAsync(ManagerId, now - options.Value.PendingStartTimeout, Expiry, limit, cancellationToken);
        foreach (var id in ids)
        {
            LogStalePending(logger, ManagerId, id);
        }

        return [.. ids.Select(Hold)];
    }

    /// <summary>Ends a lease once its run is over (or this manager stops), so another manager need not wait for it to expire.</summary>
    public async Task ReleaseAsync(HeldLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (_held.TryGetValue(lease.ExecutionId, out var current) && ReferenceEquals(current, lease))
        {
            _held.TryRemove(lease.ExecutionId, out _);
        }

        if (lease.IsLost)
        {
            return;
        }

        try
        {
            await store.ReleaseExecutionLeaseAsync(lease.ExecutionId, ManagerId, timeProvider.GetUtcNow(), cancellationToken);
        }
#pragma warning disable CA1031 // Best effort: a lease that could not be released simply expires.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogReleaseFailed(logger, lease.ExecutionId, ex.Message);
        }
    }

    /// <summary>
    /// Renews every held lease. Leases the store no longer gives this manager are lost; when renewals have failed for a
    /// whole lease duration, every lease is treated as lost (another manager may already run those executions).
    /// </summary>
    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        var held = _held.Values.ToList();
        var now = timeProvider.GetUtcNow();
        if (held.Count == 0)
        {
            _lastConfirmed = now;
            return;
        }

        IReadOnlyList<string> renewed;
        try
        {
            renewed = await store.RenewExecutionLeasesAsync(ManagerId, [.. held.Select(l => l.ExecutionId)], now + options.Value.LeaseDuration, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRenewFailed(logger, held.Count, ex.Message);
            if (_lastConfirmed is { } confirmed && now - confirmed >= options.Value.LeaseDuration)
            {
                // Checkpoint: past this point another manager may have claimed them; stopping our runs is what keeps
                // each execution run by one manager. The executions stay as stored and are resumed by their new owner.
                foreach (var lease in held)
                {
                    Lose(lease);
                }
            }

            return;
        }

        _lastConfirmed = now;
        var kept = renewed.ToHashSet(StringComparer.Ordinal);
        foreach (var lease in held.Where(l => !kept.Contains(l.ExecutionId)))
        {
            Lose(lease);
        }
    }

    private HeldLease Hold(string executionId)
    {
        var lease = new HeldLease(executionId);
        _held[executionId] = lease;
        _lastConfirmed ??= timeProvider.GetUtcNow();
        return lease;
    }

    private void Lose(HeldLease lease)
    {
        if (_held.TryRemove(lease.ExecutionId, out _))
        {
            LogLost(logger, ManagerId, lease.ExecutionId);
            lease.MarkLost();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Manager {ManagerId} took over execution {ExecutionId}: its previous manager stopped renewing its lease")]
    private static partial void LogTakenOver(ILogger logger, string managerId, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Manager {ManagerId} starts pending execution {ExecutionId}: no manager claimed it in time (its start message was lost)")]
    private static partial void LogStalePending(ILogger logger, string managerId, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Manager {ManagerId} lost the lease of execution {ExecutionId}; its run stops here and the new owner resumes it")]
    private static partial void LogLost(ILogger logger, string managerId, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew {Count} execution leases: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the lease of execution {ExecutionId}: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string executionId, string reason);
}
