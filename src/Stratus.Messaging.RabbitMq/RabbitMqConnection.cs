using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Stratus.Messaging.RabbitMq;

/// <summary>
/// The broker's one AMQP connection, opened on first use, with the client's automatic recovery: after a drop it
/// reconnects every <see cref="RabbitMqOptions.RecoveryInterval"/>, re-declares the queues, exchanges and bindings
/// declared through it, reopens channels and re-registers consumers. Callers that meet a dropped connection wait
/// here for the recovery.
/// </summary>
internal sealed class RabbitMqConnection : IAsyncDisposable
{
    private readonly RabbitMqOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly Lock _signalGate = new();
    private TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnection? _connection;
    private int _recovering;

    public RabbitMqConnection(RabbitMqOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        Endpoint = AmqpEndpoint.Describe(options.Url);
    }

    /// <summary>Where the broker is, for messages: no credentials.</summary>
    public string Endpoint { get; }

    public bool IsOpen => Volatile.Read(ref _connection) is { IsOpen: true };

    /// <summary>
    /// True from a drop until the client has reopened the connection and its channels: meanwhile a closed channel
    /// may still be brought back by the client, so it must not be thrown away.
    /// </summary>
    public bool IsRecovering => Volatile.Read(ref _recovering) == 1;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } existing)
        {
            return existing;
        }

        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { } raced)
            {
                return raced;
            }

            var factory = new ConnectionFactory
            {
                Uri = new Uri(_options.Url),
                AutomaticRecoveryEnabled = true,
                TopologyRecoveryEnabled = true,
                NetworkRecoveryInterval = _options.RecoveryInterval,
                RequestedHeartbeat = _options.Heartbeat,
                ClientProvidedName = _options.ConnectionName,
            };
            IConnection connection;
            try
            {
                connection = await factory.CreateConnectionAsync(cancellationToken);
            }
            catch (BrokerUnreachableException e) when (IsAuthenticationFailure(e))
            {
                throw new InvalidOperationException(
                    $"RabbitMQ at {Endpoint} refused the credentials of the broker URL (or the vhost does not exist).", e);
            }

            connection.ConnectionShutdownAsync += OnShutdownAsync;
            connection.RecoverySucceededAsync += OnRecoveredAsync;
            connection.ConnectionRecoveryErrorAsync += OnRecoveryErrorAsync;
            Volatile.Write(ref _connection, connection);
            Log.Connected(_logger, Endpoint);
            return connection;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>Returns once the connection is open again (or was never opened: the next call opens it).</summary>
    public async Task WaitUntilOpenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var connection = Volatile.Read(ref _connection);
            if (connection is { IsOpen: true })
            {
                return;
            }

            if (connection is null)
            {
                // Never connected: the caller's next attempt connects; pause so attempts are spaced out.
                await Task.Delay(_options.RecoveryInterval, _timeProvider, cancellationToken);
                return;
            }

            Task recovered;
            lock (_signalGate)
            {
                recovered = _recovered.Task;
            }

            // The recovery event is the fast path; the interval bounds the wait when it was missed or the first
            // connection attempt failed.
            try
            {
                await recovered.WaitAsync(_options.RecoveryInterval, _timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Checked again at the top of the loop.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            connection.ConnectionShutdownAsync -= OnShutdownAsync;
            connection.RecoverySucceededAsync -= OnRecoveredAsync;
            connection.ConnectionRecoveryErrorAsync -= OnRecoveryErrorAsync;
            try
            {
                await connection.CloseAsync(_options.Heartbeat > TimeSpan.Zero ? _options.Heartbeat : TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OperationInterruptedException or IOException or TimeoutException)
            {
                // Already gone: nothing to close.
            }

            await connection.DisposeAsync();
        }

        _connectGate.Dispose();
    }

    private static bool IsAuthenticationFailure(Exception e)
    {
        for (var current = (Exception?)e; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationFailureException or PossibleAuthenticationFailureException)
            {
                return true;
            }
        }

        return false;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs args)
    {
        if (args.Initiator == ShutdownInitiator.Application)
        {
            return Task.CompletedTask;
        }

        Volatile.Write(ref _recovering, 1);
        lock (_signalGate)
        {
            if (_recovered.Task.IsCompleted)
            {
                _recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Log.ConnectionLost(_logger, Endpoint, $"{args.ReplyCode} {args.ReplyText}");
        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        Volatile.Write(ref _recovering, 0);
        lock (_signalGate)
        {
            _recovered.TrySetResult();
        }

        Log.Recovered(_logger, Endpoint);
        return Task.CompletedTask;
    }

    private Task OnRecoveryErrorAsync(object sender, ConnectionRecoveryErrorEventArgs args)
    {
        Log.RecoveryFailed(_logger, Endpoint, args.Exception.Message);
        return Task.CompletedTask;
    }
}
