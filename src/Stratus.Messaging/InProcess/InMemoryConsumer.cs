using System.Threading.Channels;

namespace Stratus.Messaging.InProcess;

/// <summary>
/// A consumer of one queue. The queue posts up to <see cref="Prefetch"/> deliveries into its channel; each runs its
/// handler on its own task, so a consumer works on at most <see cref="Prefetch"/> messages at a time.
/// </summary>
internal sealed class InMemoryConsumer : IAsyncDisposable
{
    private readonly InMemoryQueue _queue;
    private readonly Func<IncomingMessage, CancellationToken, Task> _handler;
    private readonly Channel<InMemoryDelivery> _channel =
        Channel.CreateUnbounded<InMemoryDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _runningGate = new();
    private readonly HashSet<Task> _running = [];
    private readonly Action<InMemoryConsumer> _onDisposed;
    private Task _pump = Task.CompletedTask;
    private int _disposed;

    public InMemoryConsumer(
        InMemoryQueue queue,
        Func<IncomingMessage, CancellationToken, Task> handler,
        int prefetch,
        Action<InMemoryConsumer> onDisposed)
    {
        _queue = queue;
        _handler = handler;
        Prefetch = prefetch;
        _onDisposed = onDisposed;
    }

    public int Prefetch { get; }

    /// <summary>Deliveries this consumer holds; guarded by the queue's lock.</summary>
    public HashSet<InMemoryDelivery> Unacked { get; } = [];

    public void Start() => _pump = Task.Run(PumpAsync);

    public void Post(InMemoryDelivery delivery) => _channel.Writer.TryWrite(delivery);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Detach(this);
        _channel.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _pump;

        Task[] running;
        lock (_runningGate)
        {
            running = [.. _running];
        }

        // Handlers see the cancellation; whatever they settle before returning is not redelivered.
        await Task.WhenAll(running);

        // checkpoint: anything still unacked (including deliveries never handed to the handler) is redelivered.
        _queue.ReturnUnacked(this);
        _stopping.Dispose();
        _onDisposed(this);
    }

    private async Task PumpAsync()
    {
        await foreach (var delivery in _channel.Reader.ReadAllAsync())
        {
            if (_stopping.IsCancellationRequested)
            {
                continue;
            }

            var run = Task.Run(() => RunHandlerAsync(delivery));
            lock (_runningGate)
            {
                _running.Add(run);
            }

            _ = run.ContinueWith(
                completed =>
                {
                    lock (_runningGate)
                    {
                        _running.Remove(completed);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task RunHandlerAsync(InMemoryDelivery delivery)
    {
        var token = _stopping.Token;
        try
        {
            await _handler(delivery, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The consumer is stopping; an unsettled delivery is returned by DisposeAsync.
        }
#pragma warning disable CA1031 // A handler's failure must never take the consumer down; it counts as a nack.
        catch (Exception)
#pragma warning restore CA1031
        {
            _queue.Settle(delivery, requeue: true, deadLetter: false);
        }
    }
}
