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
/// cannot be reached at start is tried again with back-off; the manager runs meanwhile.
/// </summary>
internal sealed partial class BrokerEventConsumer(
    IMessageBroker broker,
    IStratusStore store,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<BrokerEventConsumer> logger) : BackgroundService
{
    private readonly BrokerEventBatcher _batcher = new(store, time, loggers.CreateLogger<BrokerEventBatcher>());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IAsyncDisposable consumer;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await LogsEventsTopology.DeclareAsync(broker, stoppingToken);
                consumer = await broker.ConsumeAsync(
                    LogsEventsTopology.Queue,
                    (message, _) =>
                    {
                        _batcher.Add(message);
                        return Task.CompletedTask;
                    },
                    BrokerEventBatcher.Prefetch,
                    stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not ObjectDisposedException)
            {
                LogConsumeFailed(logger, LogsEventsTopology.Queue, ex.Message);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        try
        {
            await _batcher.RunAsync(stoppingToken);
        }
        finally
        {
            // checkpoint: what the batcher had not committed is unacked; disposing the consumer returns it to the queue.
            await consumer.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        _batcher.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not consume {Queue} yet: {Reason}; trying again")]
    private static partial void LogConsumeFailed(ILogger logger, string queue, string reason);
}
