using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Storage;

namespace Stratus.Server.Agents;

/// <summary>
/// Marks <c>started</c> agents whose heartbeat is older than <see cref="ManagerOptions.AgentHeartbeatTimeout"/> as
/// <c>nonresponsive</c> (one set-based statement; every manager may run it, the result is the same). A heartbeat
/// brings such an agent back to <c>started</c>. With per-agent broker users, it also removes the users whose agent
/// row is gone (<see cref="AgentBrokerUsers.SweepAsync"/>).
/// </summary>
internal sealed partial class AgentMonitor(
    IStratusStore store, ManagerOptions options, AgentBrokerUsers brokerUsers, TimeProvider time, ILogger<AgentMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.AgentHeartbeatTimeout / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed sweep (database restarting) is retried at the next tick; it must not stop the service.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var name in await store.MarkSilentAgentsAsync(now - options.AgentHeartbeatTimeout, now, cancellationToken))
        {
            LogNonResponsive(logger, name, options.AgentHeartbeatTimeout.TotalSeconds);
        }

        await brokerUsers.SweepAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentName} sent no heartbeat for {Seconds} s: marked nonresponsive")]
    private static partial void LogNonResponsive(ILogger logger, string agentName, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for silent agents failed; trying again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
