using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Stores the events and logs every producer posts (<c>POST /events</c>) in batches, one transaction each, by group
/// commit: while one batch is being written the next gathers everything posted meanwhile (up to
/// <see cref="MaxBatchRows"/>), and is written as soon as the writer is free. Under load batches fill up; when idle a
/// post is written at once. Cloudify's batched path bounds a batch by 100 rows or 0.5 s; this one never waits longer
/// than one commit. Each caller's request completes only once its rows are committed, so a producer that gets an error
/// resends them; events with an idempotency key are stored once.
/// </summary>
internal sealed partial class EventIngestor(IStratusStore store, ILogger<EventIngestor> logger) : BackgroundService
{
    public const int MaxBatchRows = 1000;

    private readonly Channel<Submission> _submissions = Channel.CreateUnbounded<Submission>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues the rows for the next batch and completes when they are stored (or throws what the store threw).</summary>
    public async Task StoreAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var submission = new Submission(events);
        if (!_submissions.Writer.TryWrite(submission))
        {
            throw new InvalidOperationException("The manager is stopping; events are not accepted.");
        }

        await submission.Stored.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _submissions.Reader;
        var batch = new List<Submission>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var rows = 0;
                while (rows < MaxBatchRows && reader.TryRead(out var next))
                {
                    batch.Add(next);
                    rows += next.Events.Count;
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was not written is refused, and its producers resend it to a manager that runs.
        }
        finally
        {
            _submissions.Writer.TryComplete();
            foreach (var left in batch)
            {
                left.Stored.TrySetException(new InvalidOperationException("The manager stopped before the events were stored."));
            }

            while (reader.TryRead(out var left))
            {
                left.Stored.TrySetException(new InvalidOperationException("The manager stopped before the events were stored."));
            }
        }
    }

    private async Task WriteAsync(List<Submission> batch, CancellationToken cancellationToken)
    {
        try
        {
            await store.InsertEventsAsync([.. batch.SelectMany(s => s.Events)], cancellationToken);
            // Checkpoint: committed; each producer learns it now and will not resend.
            foreach (var submission in batch)
            {
                submission.Stored.TrySetResult();
            }

            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && batch.Count > 1)
        {
            LogBatchFailed(logger, batch.Count, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            batch[0].Stored.TrySetException(ex);
            return;
        }

        // One bad request (its execution deleted meanwhile) must not fail the others: each is written alone.
        foreach (var submission in batch)
        {
            try
            {
                await store.InsertEventsAsync(submission.Events, cancellationToken);
                submission.Stored.TrySetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                submission.Stored.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Requests} event requests could not be stored at once ({Reason}); storing each alone")]
    private static partial void LogBatchFailed(ILogger logger, int requests, string reason);

    private sealed class Submission(IReadOnlyList<StoredEvent> events)
    {
        public IReadOnlyList<StoredEvent> Events => events;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
