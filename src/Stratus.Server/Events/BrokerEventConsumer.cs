using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Consumes <c>cloudify-logs-events</c> (<see cref="LogsEventsTopology"/>) on every manager (competing consumers) and
/// hands the deliveries, in turn, to <see cref="Writers"/> <see cref="BrokerEventBatcher"/>s, each keeping Cloudify's
/// rule's shape (100 messages or 0.1 s; Cloudify waits 0.5 s) with its own transaction, so several batches commit at once (the order of storage ids may
/// then differ from the order of publishing; events are listed by timestamp). The prefetch lets every writer fill its
/// batch. A broker that cannot be reached at start is tried again with back-off; the manager runs meanwhile. Should a
/// batcher ever stop on its own (a defect: it retries every store failure), the failure is logged, the consumer is
/// closed so every delivery not yet stored goes back to the queue, and a fresh consumer with fresh batchers starts.
/// </summary>
internal sealed partial class BrokerEventConsumer(
    IMessageBroker broker,
    IStratusStore store,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<BrokerEventConsumer> logger) : BackgroundService
{
    public const int Writers = 4;

    public const int Prefetch = 1000;

    /// <summary>How long a consumer whose batcher stopped waits before it consumes again.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var batchers = Enumerable.Range(0, Writers)
                .Select(_ => new BrokerEventBatcher(store, time, loggers.CreateLogger<BrokerEventBatcher>()))
                .ToArray();
            var consumer = await ConsumeAsync(batchers, stoppingToken);
            try
            {
                await RunUntilOneStopsAsync(batchers, stoppingToken);
            }
            finally
            {
                // checkpoint: what the batchers had not committed is unacked; disposing the consumer returns it to the queue.
                await consumer.DisposeAsync();
            }

            await Task.Delay(RestartDelay, time, stoppingToken);
        }
    }

    /// <summary>Consumes into <paramref name="batchers"/> in turn; a broker not reachable yet is tried again with back-off.</summary>
    private async Task<IAsyncDisposable> ConsumeAsync(BrokerEventBatcher[] batchers, CancellationToken stoppingToken)
    {
        var next = 0;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await LogsEventsTopology.DeclareAsync(broker, stoppingToken);
                return await broker.ConsumeAsync(
                    LogsEventsTopology.Queue,
                    (message, _) =>
                    {
                        batchers[(int)((uint)Interlocked.Increment(ref next) % Writers)].Add(message);
                        return Task.CompletedTask;
                    },
                    Prefetch,
                    stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not ObjectDisposedException)
            {
                LogConsumeFailed(logger, LogsEventsTopology.Queue, ex.Message);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Runs the batchers until the manager stops (then throws) or one of them stops on its own (then returns).</summary>
    private async Task RunUntilOneStopsAsync(BrokerEventBatcher[] batchers, CancellationToken stoppingToken)
    {
        using var generation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var runs = batchers.Select(b => b.RunAsync(generation.Token)).ToArray();
        var first = await Task.WhenAny(runs);
        stoppingToken.ThrowIfCancellationRequested();
        LogBatcherStopped(logger, first.Exception?.GetBaseException().GetType().Name ?? "none", first.Exception?.GetBaseException().Message ?? "it returned");
        await generation.CancelAsync();
        try
        {
            await Task.WhenAll(runs);
        }
#pragma warning disable CA1031 // Already logged above; the consumer is replaced whatever the others ended with.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not consume {Queue} yet: {Reason}; trying again")]
    private static partial void LogConsumeFailed(ILogger logger, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "An events and logs batcher stopped ({ExceptionType}: {Reason}); its deliveries go back to the queue and the consumer restarts")]
    private static partial void LogBatcherStopped(ILogger logger, string exceptionType, string reason);
}
