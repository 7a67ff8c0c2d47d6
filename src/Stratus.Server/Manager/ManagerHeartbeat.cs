using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Core.Model;
using Stratus.Server.Hosting;
using Stratus.Storage;

namespace Stratus.Server.Manager;

/// <summary>
/// Keeps this manager's row in <c>managers</c> (Cloudify's table) fresh: written at start and every
/// <see cref="Interval"/>, removed on a graceful stop. <c>GET /managers</c> lists the rows seen recently, so a
/// manager that died drops out of the list within a few intervals.
/// </summary>
internal sealed partial class ManagerHeartbeat(
    IStratusStore store, ManagerOptions options, TimeProvider timeProvider, Startup startup, ILogger<ManagerHeartbeat> logger) : BackgroundService
{
    /// <summary>A third of the execution lease, so a manager's row and its leases age together.</summary>
    public static TimeSpan IntervalFor(ManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Round(options.ExecutionLeaseDuration.TotalSeconds / 3)));
    }

    private TimeSpan Interval => IntervalFor(options);

    /// <summary>The first heartbeat is written before the manager serves, so it lists itself from its first request.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await BeatAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await store.DeleteManagerAsync(ManagerHost.IdOf(options), cancellationToken);
        }
#pragma warning disable CA1031 // Best effort: a row left behind ages out of GET /managers by itself.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogBeatFailed(logger, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, timeProvider, stoppingToken);
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync removes the row.
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.UpsertManagerAsync(Row(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be restarting: the next beat tries again.
            LogBeatFailed(logger, ex.Message);
        }
    }

    private ManagerRecord Row() => new()
    {
        Name = ManagerHost.IdOf(options),
        Hostname = ManagerHost.IdOf(options),
        PrivateIp = options.Host,
        PublicIp = options.Host,
        Version = ManagerInfo.Version,
        Edition = ManagerInfo.Edition,
        Distribution = ManagerInfo.Distribution,
        StartedAt = startup.StartedAt,
        LastSeen = timeProvider.GetUtcNow(),
        StatusReportFrequency = (int)Interval.TotalSeconds,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write this manager's heartbeat: {Reason}")]
    private static partial void LogBeatFailed(ILogger logger, string reason);
}
