using Microsoft.Extensions.Logging;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

internal sealed partial class BrokerEventBatcher
{
    /// <summary>Stage two: commits the batches read so far (up to <see cref="MaxBatchesPerCommit"/> at once), in order.</summary>
    private async Task CommitLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _read.Reader;
        var group = new List<BrokerEventReader.Result>(MaxBatchesPerCommit * FlushItems);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            for (var batches = 0; batches < MaxBatchesPerCommit && reader.TryRead(out var batch); batches++)
            {
                group.AddRange(batch);
            }

            await CommitAsync(group, cancellationToken);
            group.Clear();
        }
    }

    /// <summary>Stores (or drops) every message of <paramref name="group"/> and acks them; retries while the database is away.</summary>
    private async Task CommitAsync(List<BrokerEventReader.Result> group, CancellationToken cancellationToken)
    {
        var rows = group.Where(r => r.Row is not null).Select(r => r.Row!).ToList();
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                if (rows.Count > 0)
                {
                    await store.InsertEventsAsync(rows, cancellationToken);
                }

                Interlocked.Increment(ref _transactions);
                break;
            }
            catch (Exception ex) when (TransientStoreFailure.Is(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogStoreUnavailable(logger, group.Count, ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Not ours: a timeout inside the store. The group waits, loudly.
                LogStoreFailed(logger, group.Count, ex.GetType().Name, ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !TransientStoreFailure.Is(ex))
            {
                LogBatchRefused(logger, rows.Count, ex.Message);
                // The refusal may come from a stale cached execution (deleted since): the reader looks them up again.
                Interlocked.Exchange(ref _forgetExecutions, 1);
                await StoreOneByOneAsync(group, cancellationToken);
                return;
            }
        }

        // checkpoint: committed. A crash before this ack redelivers the messages, and their keys store them once.
        foreach (var result in group)
        {
            LogDropped(result);
        }

        await IncomingMessage.AckAllAsync([.. group.Select(r => r.Message)], CancellationToken.None);
    }

    /// <summary>Cloudify's fallback: each message alone, so one the store refuses does not take the others with it.</summary>
    private async Task StoreOneByOneAsync(List<BrokerEventReader.Result> group, CancellationToken cancellationToken)
    {
        foreach (var result in group)
        {
            if (result.Row is { } row)
            {
                var delay = FirstRetryDelay;
                while (true)
                {
                    try
                    {
                        await store.InsertEventsAsync([row], cancellationToken);
                        break;
                    }
                    catch (Exception ex) when (TransientStoreFailure.Is(ex) && !cancellationToken.IsCancellationRequested)
                    {
                        LogStoreUnavailable(logger, 1, ex.Message, delay.TotalMilliseconds);
                        await Task.Delay(delay, time, cancellationToken);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && !TransientStoreFailure.Is(ex))
                    {
                        // Not the message's content: it may hold anything a script printed.
                        LogMessageRefused(logger, row.ExecutionId, ex.Message);
                        break;
                    }
                }
            }

            LogDropped(result);
            // checkpoint: this one is stored (or refused for good); a crash before the ack stores it once on redelivery.
            await result.Message.AckAsync(CancellationToken.None);
        }
    }

    private void LogDropped(BrokerEventReader.Result result)
    {
        if (result.DropReason is { } reason)
        {
            LogMessageDropped(logger, result.Message.Exchange, result.Message.RoutingKey, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} events and logs could not be stored at once ({Reason}); storing each alone")]
    private static partial void LogBatchRefused(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event or log of execution {ExecutionId} was refused by the store and dropped: {Reason}")]
    private static partial void LogMessageRefused(ILogger logger, string executionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a message from exchange '{Exchange}' (routing key '{RoutingKey}'): {Reason}")]
    private static partial void LogMessageDropped(ILogger logger, string exchange, string routingKey, string reason);
}
