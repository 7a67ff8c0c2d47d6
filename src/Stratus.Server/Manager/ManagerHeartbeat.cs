using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Server.Hosting;
using Stratus.Storage;

namespace Stratus.Server.Manager;

/// <summary>
/// Keeps this manager's row in <c>managers</c> (Cloudify's table) fresh: written at start and every
/// <see cref="Interval"/>, removed on a graceful stop. <c>GET /managers</c> lists the rows seen recently, so a
/// manager that died drops out of the list within a few intervals. Each beat promises the next one
/// (<see cref="ManagerRecord.NextBeatBy"/>), so the row also records since when this manager has been in unbroken contact
/// with the database: the evidence it needs before it judges another manager gone (<see cref="ClaimHolderCheck"/>). A
/// beat is given at most half an interval, and a failed one is tried again after a quarter interval, so once the
/// database is back a live manager is seen again well within the execution lease.
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

    /// <summary>
    /// How long after a beat's timestamp the next beat's comes at the latest: the longest a beat may take (half an
    /// interval) and the interval. A later beat breaks the chain of contact, which only delays judging others gone.
    /// </summary>
    public static TimeSpan PromiseFor(ManagerOptions options) => IntervalFor(options) * 1.5;

    private TimeSpan Interval => IntervalFor(options);

    private TimeSpan BeatTimeout => Interval / 2;

    private TimeSpan RetryDelay => Interval / 4;

    /// <summary>The first heartbeat is written before the manager serves, so it lists itself from its first request.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Not bounded: a slow first write (a cold pool, migrations just run) must not leave the manager unlisted.
        await BeatAsync(Timeout.InfiniteTimeSpan, cancellationToken);
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
            var delay = Interval;
            while (true)
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
                delay = await BeatAsync(BeatTimeout, stoppingToken) ? Interval : RetryDelay;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync removes the row.
        }
    }

    /// <summary>Writes one beat, given at most <paramref name="limit"/>; false when it could not be written.</summary>
    private async Task<bool> BeatAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(limit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await store.UpsertManagerAsync(Row(), linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A database that does not answer (a dead host, a full pool): the chain of contact breaks; beat again soon.
            LogBeatFailed(logger, $"no answer within {limit.TotalMilliseconds:0} ms");
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be restarting: the next beat tries again soon.
            LogBeatFailed(logger, ex.Message);
            return false;
        }
    }

    private ManagerRecord Row()
    {
        var now = timeProvider.GetUtcNow();
        return new()
        {
            Name = ManagerHost.IdOf(options),
            Hostname = ManagerHost.IdOf(options),
            PrivateIp = options.Host,
            PublicIp = options.Host,
            Version = ManagerInfo.Version,
            Edition = ManagerInfo.Edition,
            Distribution = ManagerInfo.Distribution,
            StartedAt = startup.StartedAt,
            LastSeen = now,
            StatusReportFrequency = (int)Interval.TotalSeconds,
            NextBeatBy = now + PromiseFor(options),
            // Events/BrokerEventReader reads a JSON array of lines as well as a single line.
            EventWire = LogsEventsWire.Batch,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write this manager's heartbeat: {Reason}")]
    private static partial void LogBeatFailed(ILogger logger, string reason);
}
