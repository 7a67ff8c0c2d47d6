using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

/// <summary>
/// A few long-lived channels for topology calls (declare, bind, delete, passive declare), so a call costs only its
/// own round trips instead of a channel open and close around them. At most <see cref="Size"/> calls run at once;
/// the others wait for a free channel with their own cancellation token.
/// </summary>
/// <remarks>
/// A channel goes back to the pool only when its call succeeded and it is still open. RabbitMQ closes a channel over
/// a refused call (PRECONDITION_FAILED, NOT_FOUND, ACCESS_REFUSED), and a call cut short (cancelled, timed out) may
/// still have a reply on its way: either way the channel is discarded and the exception reaches the caller as it is.
/// Idle channels close with a dropped connection and the client's recovery reopens them with it: while that is under
/// way a caller waits for it like any call meeting a dropped connection, then uses the reopened channel; one the
/// recovery could not reopen is discarded and replaced.
/// </remarks>
internal sealed class TopologyChannelPool : IAsyncDisposable
{
    private readonly RabbitMqConnection _connection;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<IChannel> _idle = new();
    private readonly CancellationTokenSource _disposing = new();
    private int _disposed;

    public TopologyChannelPool(RabbitMqConnection connection, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _connection = connection;
        Size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>How many topology channels exist at most, and so how many topology calls run at once.</summary>
    public int Size { get; }

    /// <summary>Runs <paramref name="call"/> on a pooled channel, after waiting for one to be free.</summary>
    public async Task RunAsync(Func<IChannel, Task> call, CancellationToken cancellationToken)
    {
        await WaitForSlotAsync(cancellationToken);
        IChannel? channel = null;
        try
        {
            channel = await TakeAsync(cancellationToken);
            await call(channel);
            if (channel.IsOpen && Volatile.Read(ref _disposed) == 0)
            {
                _idle.Push(channel);
                channel = null;
            }
        }
        finally
        {
            if (channel is not null)
            {
                await DiscardAsync(channel);
            }

            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync();
        // Channels in use are discarded by their callers as they finish (the pool no longer takes them back).
        while (_idle.TryPop(out var channel))
        {
            await DiscardAsync(channel);
        }

        _disposing.Dispose();
    }

    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (_slots.Wait(0, CancellationToken.None))
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            await _slots.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(TopologyChannelPool));
        }
    }

    private async Task<IChannel> TakeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        while (_idle.TryPop(out var idle))
        {
            if (idle.IsOpen)
            {
                return idle;
            }

            if (_connection.IsRecovering && idle.CloseReason is { } reason)
            {
                // The client is reopening the connection and will reopen this channel with it: discarding it now
                // could race that and leave a channel open on the server that nobody uses. The caller waits for
                // the recovery (a connection failure to RabbitMqBroker.RunAsync) and finds it open on retry.
                _idle.Push(idle);
                throw new AlreadyClosedException(reason);
            }

            // Closed and not coming back (its recovery failed): replaced.
            await DiscardAsync(idle);
        }

        var connection = await _connection.GetAsync(cancellationToken);
        return await connection.CreateChannelAsync(cancellationToken: cancellationToken);
    }

    private static async Task DiscardAsync(IChannel channel)
    {
        if (channel.IsOpen)
        {
            try
            {
                await channel.CloseAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is OperationInterruptedException or IOException or TimeoutException)
            {
                // Closed under us; nothing left to release on the server.
            }
        }

        await channel.DisposeAsync();
    }
}
