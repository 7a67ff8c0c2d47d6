using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

/// <summary>
/// The production transport: RabbitMQ through one auto-recovering connection. Queues are durable quorum queues laid
/// out after Cloudify's naming (<see cref="RabbitMqTopology"/>); messages are persistent and every publish waits for
/// the broker's confirm; consumers ack manually with prefetch; redelivery counting and dead-lettering are RabbitMQ's
/// own (<c>x-delivery-count</c>, <c>x-delivery-limit</c>, dead-letter routing to <c>&lt;queue&gt;.dead-letter</c>).
/// A call that meets a dropped connection waits for the reconnection, up to <see cref="RabbitMqOptions.OperationTimeout"/>.
/// </summary>
public sealed partial class RabbitMqBroker : IMessageBroker
{
    /// <summary>Quorum queues on the server keep every message until it is acked.</summary>
    public bool KeepsMessagesAcrossRestarts => true;

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);
    private readonly RabbitMqOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly RabbitMqConnection _connection;
    private readonly TopologyChannelPool _topology;
    private readonly ConcurrentDictionary<RabbitMqConsumer, byte> _consumers = new();
    private int _disposed;

    public RabbitMqBroker(RabbitMqOptions options, ILogger<RabbitMqBroker>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _connection = new RabbitMqConnection(options, _logger, _timeProvider);
        _topology = new TopologyChannelPool(_connection, options.TopologyChannels);
    }

    /// <summary>Where the broker is (scheme, host, port, vhost), without credentials.</summary>
    public string Endpoint => _connection.Endpoint;

    /// <summary>True while the connection is open (false before first use and while reconnecting).</summary>
    public bool IsConnected => _connection.IsOpen;

    /// <remarks>
    /// Handlers of one consumer run concurrently, up to <paramref name="prefetch"/> at a time. Disposing the returned
    /// consumer cancels the handlers' token, waits for them, then closes its channel so RabbitMQ redelivers what they
    /// left unacked; never dispose a consumer from inside its own handler.
    /// </remarks>
    public async Task<IAsyncDisposable> ConsumeAsync(
        string queue,
        Func<IncomingMessage, CancellationToken, Task> handler,
        int prefetch,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefetch, ushort.MaxValue);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();

        return await RunAsync(
            queue,
            async token =>
            {
                var connection = await _connection.GetAsync(token);
                var channel = await connection.CreateChannelAsync(cancellationToken: token);
                var consumer = new RabbitMqConsumer(channel, queue, handler, _logger, c => _consumers.TryRemove(c, out _));
                try
                {
                    await consumer.StartAsync((ushort)prefetch, token);
                }
                catch
                {
                    await consumer.DisposeAsync();
                    throw;
                }

                _consumers.TryAdd(consumer, 0);
                return consumer;
            },
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var consumer in _consumers.Keys)
        {
            await consumer.DisposeAsync();
        }

        await DisposePublisherAsync();
        await _topology.DisposeAsync();
        await _connection.DisposeAsync();
        _publisherGate.Dispose();
    }

    /// <summary>
    /// Runs one broker call on a fresh connection state: a call that meets a dropped connection waits for the
    /// reconnection and runs again, until <see cref="RabbitMqOptions.OperationTimeout"/>; RabbitMQ's refusals for
    /// this call (no such queue, other settings) become <see cref="QueueNotFoundException"/> and
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(string queue, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.OperationTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Exception? last = null;
        try
        {
            while (true)
            {
                linked.Token.ThrowIfCancellationRequested();
                ThrowIfDisposed();
                try
                {
                    return await call(linked.Token);
                }
                catch (OperationInterruptedException e) when (ReplyCode(e) == Constants.NotFound)
                {
                    throw QueueNotFoundException.ForQueue(queue);
                }
                catch (OperationInterruptedException e) when (ReplyCode(e) == Constants.PreconditionFailed)
                {
                    throw new InvalidOperationException(
                        $"Queue '{queue}' already exists in RabbitMQ with other settings: {e.ShutdownReason?.ReplyText}", e);
                }
                catch (OperationInterruptedException e) when (IsRefusal(e))
                {
                    throw new InvalidOperationException(
                        $"RabbitMQ at {Endpoint} refused the call on '{queue}': {e.ShutdownReason?.ReplyText}", e);
                }
                catch (Exception e) when (IsConnectionFailure(e) && !linked.IsCancellationRequested)
                {
                    last = e;
                    Log.WaitingForConnection(_logger, queue, e.Message);
                    if (_connection.IsOpen)
                    {
                        // The connection is back but its channels are still being restored: give them a moment.
                        await Task.Delay(RetryPause, _timeProvider, linked.Token);
                    }

                    await _connection.WaitUntilOpenAsync(linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"RabbitMQ at {Endpoint} did not complete the call on queue '{queue}' within "
                + $"{_options.OperationTimeout.TotalSeconds:0.#} s" + (last is null ? "" : $" (last error: {last.Message})"),
                last);
        }
    }

    private async Task RunAsync(string queue, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await RunAsync(
            queue,
            async token =>
            {
                await call(token);
                return true;
            },
            cancellationToken);

    private static ushort ReplyCode(OperationInterruptedException e) => e.ShutdownReason?.ReplyCode ?? 0;

    private static bool IsConnectionFailure(Exception e) =>
        e is OperationInterruptedException or BrokerUnreachableException or IOException or ConnectFailureException;

    /// <summary>
    /// RabbitMQ closed the channel over this call (access, not implemented, ...) while the connection lives; not while
    /// the client is still reopening channels after a drop, when a channel closed with the connection is a wait.
    /// </summary>
    private bool IsRefusal(OperationInterruptedException e) =>
        e.ShutdownReason is { Initiator: ShutdownInitiator.Peer } reason
        && reason.ReplyCode != Constants.ConnectionForced
        && _connection.IsOpen
        && !_connection.IsRecovering;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}
