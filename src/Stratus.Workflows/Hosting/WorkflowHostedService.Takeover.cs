using Microsoft.Extensions.Logging;

namespace Stratus.Workflows.Hosting;

/// <summary>Taking over executions whose manager stopped renewing their lease (it died, or lost the database).</summary>
internal sealed partial class WorkflowHostedService
{
    /// <summary>
    /// Every renew interval, claims as many orphaned executions (and pending ones whose start message was lost) as this manager has free slots and resumes them from
    /// their stored graphs. Never returns before <paramref name="stoppingToken"/> is cancelled.
    /// </summary>
    private async Task TakeOverLoopAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await Task.Delay(leaseOptions.Value.RenewInterval, timeProvider, stoppingToken);
            try
            {
                var free = _slots.CurrentCount;
                if (free == 0)
                {
                    continue;
                }

                var claimed = (await leases.ClaimOrphansAsync(free, includeUnleased: false, stoppingToken)).ToList();
                if (claimed.Count < free)
                {
                    claimed.AddRange(await leases.ClaimStalePendingAsync(free - claimed.Count, stoppingToken));
                }

                foreach (var lease in claimed)
                {
                    await StartRunAsync(lease, null, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be restarting: the next tick tries again.
                LogTakeOverFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} is not taken by manager {ManagerId}: another manager holds it, or it is no longer active")]
    private static partial void LogNotClaimed(ILogger logger, string executionId, string managerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} cannot be claimed yet, the database is unavailable ({Reason}); its start message is kept and tried again in {DelayMs} ms")]
    private static partial void LogStartDeferred(ILogger logger, string executionId, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for executions to take over: {Reason}")]
    private static partial void LogTakeOverFailed(ILogger logger, string reason);
}
