using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Messaging;

namespace Stratus.Server.Events;

/// <summary>
/// Consumes <c>cloudify-logs-events</c> (<see cref="LogsEventsTopology"/>) on every manager (competing consumers) and
/// hands each delivery to <see cref="BrokerEventBatcher"/>. The prefetch lets several batches of 100 be in flight.
/// A broker that cannot be reached at start is tried again with back-off; the manager runs meanwhile.
/// </summary>
internal sealed partial class BrokerEventConsumer(
    IMessageBroker broker,
    BrokerEventBatcher batcher,
    TimeProvider time,
    ILogger<BrokerEventConsumer> logger) : BackgroundService
{
    public const int Prefetch = 1000;

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
                        batcher.Add(message);
                        return Task.CompletedTask;
                    },
                    Prefetch,
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
            await batcher.RunAsync(stoppingToken);
        }
        finally
        {
            // checkpoint: what the batcher had not committed is unacked; disposing the consumer returns it to the queue.
            await consumer.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not consume {Queue} yet: {Reason}; trying again")]
    private static partial void LogConsumeFailed(ILogger logger, string queue, string reason);
}
