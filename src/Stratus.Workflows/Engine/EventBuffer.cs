using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Buffers an execution's events and writes them in batches: when <c>batchSize</c> are waiting, and at the end of
/// every engine round (the engine flushes before it acknowledges a reply and before it finishes).
/// </summary>
internal sealed class EventBuffer(IStratusStore store, int batchSize)
{
    private readonly List<StoredEvent> _pending = [];

    public int Count => _pending.Count;

    public async Task AddAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default)
    {
        _pending.Add(storedEvent);
        if (_pending.Count >= batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending.ToArray();
        await store.InsertEventsAsync(batch, cancellationToken);
        // Checkpoint: the batch is stored; a crash from here on loses no event of it.
        _pending.RemoveRange(0, batch.Length);
    }
}
