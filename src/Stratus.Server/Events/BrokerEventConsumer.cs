using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Consumes <c>cloudify-logs-events</c> (<see cref="LogsEventsTopology"/>) on every manager (competing consumers) and
/// hands the deliveries, in turn, to <see cref="Writers"/> <see cref="BrokerEventBatcher"/>s, each keeping Cloudify's
/// rule (100 items or 0.5 s) with its own transaction, so several batches commit at once (the order of storage ids may
/// then differ from the order of publishing; events are listed by timestamp). The prefetch lets every writer fill its
/// batch. A broker that cannot be reached at start is tried again with back-off; the manager runs meanwhile.
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

    private readonly BrokerEventBatcher[] _batchers =
        [.. Enumerable.Range(0, Writers).Select(_ => new BrokerEventBatcher(store, time, loggers.CreateLogger<BrokerEventBatcher>()))];

    private int _next;

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
                        _batchers[(int)((uint)Interlocked.Increment(ref _next) % Writers)].Add(message);
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
            await Task.WhenAll(_batchers.Select(b => b.RunAsync(stoppingToken)));
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
