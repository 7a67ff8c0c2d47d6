using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Consumes <c>cloudify-logs-events</c> (<see cref="LogsEventsTopology"/>) on every manager (competing consumers) into
/// one <see cref="BrokerEventBatcher"/>, which keeps the deliveries in order (Cloudify's rule, 100 items or 0.5 s per
/// batch; waiting batches commit together) so each commit is acked with one multiple ack. The prefetch
/// (<see cref="BrokerEventBatcher.Prefetch"/>) covers a group committing and the next one being read. A broker that
/// cannot be reached at start is tried again with back-off; the manager runs meanwhile. Should the batcher ever stop on
/// its own (a defect: it retries every store failure), the failure is logged, the consumer is closed so every delivery
/// not yet stored goes back to the queue, and a fresh consumer with a fresh batcher starts.
/// </summary>
internal sealed partial class BrokerEventConsumer(
    IMessageBroker broker,
    IStratusStore store,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<BrokerEventConsumer> logger) : BackgroundService
{
    /// <summary>How long a consumer whose batcher stopped waits before it consumes again.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            using var batcher = new BrokerEventBatcher(store, time, loggers.CreateLogger<BrokerEventBatcher>());
            var consumer = await ConsumeAsync(batcher, stoppingToken);
            try
            {
                await RunUntilItStopsAsync(batcher, stoppingToken);
            }
            finally
            {
                // checkpoint: what the batcher had not committed is unacked; disposing the consumer returns it to the queue.
                await consumer.DisposeAsync();
            }

            await Task.Delay(RestartDelay, time, stoppingToken);
        }
    }

    /// <summary>Consumes into <paramref name="batcher"/>; a broker not reachable yet is tried again with back-off.</summary>
    private async Task<IAsyncDisposable> ConsumeAsync(BrokerEventBatcher batcher, CancellationToken stoppingToken)
    {
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
                        batcher.Add(message);
                        return Task.CompletedTask;
                    },
                    BrokerEventBatcher.Prefetch,
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

    /// <summary>Runs the batcher until the manager stops (then throws) or it stops on its own (then returns).</summary>
    private async Task RunUntilItStopsAsync(BrokerEventBatcher batcher, CancellationToken stoppingToken)
    {
        try
        {
            await batcher.RunAsync(stoppingToken);
            stoppingToken.ThrowIfCancellationRequested();
            LogBatcherStopped(logger, "none", "it returned");
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogBatcherStopped(logger, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not consume {Queue} yet: {Reason}; trying again")]
    private static partial void LogConsumeFailed(ILogger logger, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The events and logs batcher stopped ({ExceptionType}: {Reason}); its deliveries go back to the queue and the consumer restarts")]
    private static partial void LogBatcherStopped(ILogger logger, string exceptionType, string reason);
}
