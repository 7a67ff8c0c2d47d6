using Microsoft.Extensions.Logging;

namespace Stratus.Workflows.Hosting;

/// <summary>Taking over executions whose manager stopped renewing their lease (it died, or lost the database).</summary>
internal sealed partial class WorkflowHostedService
{
    /// <summary>
    /// Every renew interval, claims as many orphaned executions as this manager has free slots and resumes them from
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

                foreach (var lease in await leases.ClaimOrphansAsync(free, includeUnleased: false, stoppingToken))
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for executions to take over: {Reason}")]
    private static partial void LogTakeOverFailed(ILogger logger, string reason);
}
