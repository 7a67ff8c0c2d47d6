using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Stores the events and logs consumed from <c>cloudify-logs-events</c> with Cloudify's amqp-postgres rule: a batch is
/// cut once it holds <see cref="FlushItems"/> messages, or once <see cref="FlushDelay"/> has passed since the previous
/// cut, whichever comes first; messages are acked only after the commit that stores them. Two stages run in order:
/// the first reads each cut batch (JSON, execution lookup) while the second commits the batches read before it, and
/// takes every batch already waiting, up to <see cref="MaxBatchesPerCommit"/>, into one transaction (group commit: a
/// database that falls behind gets fewer, larger transactions instead of a growing queue). Deliveries stay in their
/// order, so one committed group is acked with one multiple ack (<see cref="IncomingMessage.AckAllAsync"/>).
/// A group the store refuses is written again message by message, so only the bad ones are dropped (acked with a
/// warning, as Cloudify drops them). While the database cannot be reached the group is kept unacked and retried with
/// back-off (<see cref="FirstRetryDelay"/> doubling up to <see cref="MaxRetryDelay"/>, for as long as it takes):
/// nothing is dropped, dead-lettered or returned to the queue for an outage. Any other failure (one not refusing rows) is
/// retried the same way and logged as an error: only a message the store refuses, or one that cannot be read, is dropped.
/// </summary>
internal sealed partial class BrokerEventBatcher(IStratusStore store, TimeProvider time, ILogger<BrokerEventBatcher> logger) : IDisposable
{
    public const int FlushItems = 100;

    /// <summary>The most batches one transaction takes when several are waiting for the database.</summary>
    public const int MaxBatchesPerCommit = 10;

    /// <summary>Deliveries the consumer should let in flight: a full group committing and a full group read meanwhile.</summary>
    public const int Prefetch = 2 * MaxBatchesPerCommit * FlushItems;

    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<IncomingMessage> _incoming = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Channel<IReadOnlyList<BrokerEventReader.Result>> _read =
        Channel.CreateBounded<IReadOnlyList<BrokerEventReader.Result>>(new BoundedChannelOptions(MaxBatchesPerCommit) { SingleReader = true, SingleWriter = true });

    private readonly BrokerEventReader _reader = new(store, time);
    private int _queued;
    private int _wakeAt = 1;
    private int _forgetExecutions;
    private int _transactions;

    /// <summary>Transactions committed so far (for diagnostics and tests).</summary>
    public int CommittedTransactions => Volatile.Read(ref _transactions);

    /// <summary>Batches read and waiting for the commit stage (for diagnostics and tests).</summary>
    public int BatchesWaitingToCommit => _read.Reader.Count;

    /// <summary>Hands a delivery to the batcher; it is acked once stored (or dropped as malformed).</summary>
    public void Add(IncomingMessage message)
    {
        _incoming.Enqueue(message);
        if (Interlocked.Increment(ref _queued) == Volatile.Read(ref _wakeAt))
        {
            _wake.Release();
        }
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; what is not committed by then stays unacked.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cut = CutAsync(stop.Token);
        var commit = CommitLoopAsync(stop.Token);
        try
        {
            // Either stage ending (only by cancellation, or a bug) stops the other.
            await Task.WhenAny(cut, commit);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(cut, commit);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // checkpoint: nothing uncommitted was acked; the consumer's disposal returns it to the queue.
            }
        }
    }

    /// <summary>
    /// Stage one: cuts batches by Cloudify's rule and reads them, in delivery order. It sleeps until the queue holds
    /// what the batch lacks or the delay runs out, so a busy stream wakes it once per batch, not once per message.
    /// </summary>
    private async Task CutAsync(CancellationToken cancellationToken)
    {
        var batch = new List<IncomingMessage>(FlushItems);
        var lastCut = time.GetUtcNow();
        while (true)
        {
            while (batch.Count < FlushItems && _incoming.TryDequeue(out var next))
            {
                Interlocked.Decrement(ref _queued);
                batch.Add(next);
            }

            if (batch.Count >= FlushItems || (batch.Count > 0 && time.GetUtcNow() - lastCut >= FlushDelay))
            {
                var read = await ReadAsync(batch, cancellationToken);
                await _read.Writer.WriteAsync(read, cancellationToken);
                batch = new List<IncomingMessage>(FlushItems);
                lastCut = time.GetUtcNow();
                continue;
            }

            // Ask Add to wake us when the queue holds what the batch lacks, then check it did not get there already
            // (both sides use full fences, so one of them sees the other's write).
            var lacking = batch.Count == 0 ? 1 : FlushItems - batch.Count;
            Interlocked.Exchange(ref _wakeAt, lacking);
            if (Volatile.Read(ref _queued) >= lacking)
            {
                continue;
            }

            if (batch.Count == 0)
            {
                await _wake.WaitAsync(cancellationToken);
                continue;
            }

            // Some items, not enough: wait for the rest or for the delay since the last cut to run out.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var more = _wake.WaitAsync(stop.Token);
            // Never negative: the clock may pass the deadline between the check above and here.
            var due = Task.Delay(Max(TimeSpan.Zero, lastCut + FlushDelay - time.GetUtcNow()), time, stop.Token);
            await Task.WhenAny(more, due);
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Reads every message of <paramref name="batch"/>; retries while the database (execution lookup) is away.</summary>
    private async Task<IReadOnlyList<BrokerEventReader.Result>> ReadAsync(List<IncomingMessage> batch, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            if (Interlocked.Exchange(ref _forgetExecutions, 0) == 1)
            {
                _reader.Forget();
            }

            try
            {
                var read = new List<BrokerEventReader.Result>(batch.Count);
                foreach (var message in batch)
                {
                    read.Add(await _reader.ReadAsync(message, cancellationToken));
                }

                // An execution unknown now may be committed by the next batch.
                _reader.ForgetUnknown();
                return read;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (TransientStoreFailure.Is(ex))
                {
                    LogStoreUnavailable(logger, batch.Count, ex.Message, delay.TotalMilliseconds);
                }
                else
                {
                    // Not an outage the batcher knows: dropping would lose lines, so the batch waits, loudly.
                    LogStoreFailed(logger, batch.Count, ex.GetType().Name, ex.Message, delay.TotalMilliseconds);
                    _reader.Forget();
                }

                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} events and logs failed ({ExceptionType}: {Reason}); they stay unacked and are retried in {DelayMs} ms")]
    private static partial void LogStoreFailed(ILogger logger, int count, string exceptionType, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unavailable; {Count} events and logs stay unacked and are retried in {DelayMs} ms: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, int count, string reason, double delayMs);
}
