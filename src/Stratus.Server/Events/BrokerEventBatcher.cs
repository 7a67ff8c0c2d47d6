using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Stores the events and logs consumed from <c>cloudify-logs-events</c> with the shape of Cloudify's amqp-postgres rule:
/// a batch is written once it holds <see cref="FlushItems"/> messages, or once <see cref="FlushDelay"/> has passed since
/// the last commit, whichever comes first (Cloudify waits up to 0.5 s; Stratus 0.1 s, so a line is visible sooner, for
/// at most ten transactions a second per batcher while the stream does not fill batches); one transaction per batch; messages are acked only after that commit. A batch the
/// store refuses is written again message by message, so only the bad ones are dropped (acked with a warning, as
/// Cloudify drops them). While the database cannot be reached the batch is kept unacked and retried with back-off
/// (<see cref="FirstRetryDelay"/> doubling up to <see cref="MaxRetryDelay"/>, for as long as it takes): nothing is
/// dropped, dead-lettered or returned to the queue for an outage. Any other failure (one not refusing rows) is retried
/// the same way and logged as an error: only a message the store refuses, or one that cannot be read, is ever dropped.
/// </summary>
internal sealed partial class BrokerEventBatcher(IStratusStore store, TimeProvider time, ILogger<BrokerEventBatcher> logger)
{
    public const int FlushItems = 100;

    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<IncomingMessage> _incoming = Channel.CreateUnbounded<IncomingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BrokerEventReader _reader = new(store, time);

    /// <summary>Batches committed so far (for diagnostics and tests).</summary>
    public int CommittedBatches { get; private set; }

    /// <summary>Hands a delivery to the batcher; it is acked once stored (or dropped as malformed).</summary>
    public void Add(IncomingMessage message) => _incoming.Writer.TryWrite(message);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; what is not committed by then stays unacked.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var reader = _incoming.Reader;
        var batch = new List<IncomingMessage>(FlushItems);
        var lastCommit = time.GetUtcNow();
        try
        {
            while (true)
            {
                while (batch.Count < FlushItems && reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                if (batch.Count >= FlushItems || (batch.Count > 0 && time.GetUtcNow() - lastCommit >= FlushDelay))
                {
                    await FlushAsync(batch, cancellationToken);
                    batch.Clear();
                    lastCommit = time.GetUtcNow();
                    continue;
                }

                if (batch.Count == 0)
                {
                    await reader.WaitToReadAsync(cancellationToken);
                    continue;
                }

                // Some items, not enough: wait for more or for the delay since the last commit to run out.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var more = reader.WaitToReadAsync(wake.Token).AsTask();
                // Never negative: the clock may pass the deadline between the check above and here.
                var due = Task.Delay(Max(TimeSpan.Zero, lastCommit + FlushDelay - time.GetUtcNow()), time, wake.Token);
                await Task.WhenAny(more, due);
                await wake.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // checkpoint: nothing uncommitted was acked; the consumer's disposal returns it to the queue.
        }
    }

    /// <summary>Stores (or drops) every message of <paramref name="batch"/> and acks each; retries while the database is away.</summary>
    private async Task FlushAsync(List<IncomingMessage> batch, CancellationToken cancellationToken)
    {
        var pending = batch.ToList();
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await StoreBatchAsync(pending, cancellationToken);
                CommittedBatches++;
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (TransientStoreFailure.Is(ex))
                {
                    LogStoreUnavailable(logger, pending.Count, ex.Message, delay.TotalMilliseconds);
                }
                else
                {
                    // Not an outage the batcher knows, and not a refusal of rows (those are stored one by one): a lookup
                    // or a store that failed otherwise. Dropping would lose lines, so the batch stays unacked and is
                    // retried, loudly; the cached executions are looked up again.
                    LogStoreFailed(logger, pending.Count, ex.GetType().Name, ex.Message, delay.TotalMilliseconds);
                    _reader.Forget();
                }

                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task StoreBatchAsync(List<IncomingMessage> pending, CancellationToken cancellationToken)
    {
        var read = new List<BrokerEventReader.Result>(pending.Count);
        foreach (var message in pending)
        {
            read.Add(await _reader.ReadAsync(message, cancellationToken));
        }

        var rows = read.SelectMany(r => r.Rows).ToList();
        try
        {
            if (rows.Count > 0)
            {
                await store.InsertEventsAsync(rows, cancellationToken);
            }
        }
        catch (Exception ex) when (!TransientStoreFailure.Is(ex) && ex is not OperationCanceledException)
        {
            LogBatchRefused(logger, rows.Count, ex.Message);
            _reader.Forget();
            await StoreOneByOneAsync(pending, cancellationToken);
            return;
        }

        // checkpoint: committed. A crash before these acks redelivers the messages, and their keys store them once.
        foreach (var result in read)
        {
            LogDropped(result);
            await result.Message.AckAsync(CancellationToken.None);
        }

        pending.Clear();
        _reader.ForgetUnknown();
    }

    /// <summary>Cloudify's fallback: each line alone, so one the store refuses does not take the others with it.</summary>
    private async Task StoreOneByOneAsync(List<IncomingMessage> pending, CancellationToken cancellationToken)
    {
        while (pending.Count > 0)
        {
            var result = await _reader.ReadAsync(pending[0], cancellationToken);
            foreach (var row in result.Rows)
            {
                try
                {
                    await store.InsertEventsAsync([row], cancellationToken);
                }
                catch (Exception ex) when (!TransientStoreFailure.Is(ex) && ex is not OperationCanceledException)
                {
                    // Not the message's content: it may hold anything a script printed.
                    LogMessageRefused(logger, row.ExecutionId, ex.Message);
                }
            }

            LogDropped(result);
            await result.Message.AckAsync(CancellationToken.None);
            pending.RemoveAt(0);
        }

        _reader.ForgetUnknown();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void LogDropped(BrokerEventReader.Result result)
    {
        if (result.DropReason is { } reason)
        {
            LogMessageDropped(logger, result.Message.Exchange, result.Message.RoutingKey, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unavailable; {Count} events and logs stay unacked and are retried in {DelayMs} ms: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, int count, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} events and logs failed ({ExceptionType}: {Reason}); they stay unacked and are retried in {DelayMs} ms")]
    private static partial void LogStoreFailed(ILogger logger, int count, string exceptionType, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} events and logs could not be stored at once ({Reason}); storing each alone")]
    private static partial void LogBatchRefused(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event or log of execution {ExecutionId} was refused by the store and dropped: {Reason}")]
    private static partial void LogMessageRefused(ILogger logger, string executionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a message from exchange '{Exchange}' (routing key '{RoutingKey}'): {Reason}")]
    private static partial void LogMessageDropped(ILogger logger, string exchange, string routingKey, string reason);
}
