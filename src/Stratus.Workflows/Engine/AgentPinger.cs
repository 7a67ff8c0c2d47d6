using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Cloudify's check before sending to an agent (<c>is_agent_alive</c>): a <c>ping</c> service task on the agent's
/// service queue, answered through the agent's own exchange. Cloudify declares a temporary reply queue per ping; here
/// one temporary reply queue per manager (<c>stratus_ping_responses_&lt;id&gt;</c>) with one consumer serves every
/// ping, bound once to each agent's exchange, and answers are matched by correlation id — so a burst of thousands of
/// pings costs one publish each instead of a queue, a binding and a channel each. The message expires 200 ms before
/// the timeout, so an agent that comes back late does not answer a ping nobody waits for (a late answer is dropped).
/// One ping per agent at a time, shared by every run of this manager; an answer is trusted for
/// <see cref="WorkflowOptions.AgentPingCacheTime"/>.
/// </summary>
internal sealed class AgentPinger(IMessageBroker broker, TimeProvider time, WorkflowOptions options, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan ExpirationMargin = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _aliveUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _pinging = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _bound = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _setupGate = new(1, 1);
    private readonly string _replyQueue = "stratus_ping_responses_" + Guid.NewGuid().ToString("N");
    private IAsyncDisposable? _consumer;
    private bool _disposed;

    public bool Enabled => options.AgentPingTimeout > TimeSpan.Zero;

    public TimeSpan Timeout => options.AgentPingTimeout;

    /// <summary>True when the agent answered a ping recently enough that sending to it needs no new one.</summary>
    public bool IsKnownAlive(string agent) =>
        !Enabled || (_aliveUntil.TryGetValue(agent, out var until) && time.GetUtcNow() < until);

    /// <summary>Pings the agent (or joins the ping already under way); null when it answered, else why not.</summary>
    public Task<string?> PingAsync(string agent)
    {
        var ping = _pinging.GetOrAdd(agent, name => new Lazy<Task<string?>>(() => PingOnceAsync(name)));
        _ = ping.Value.ContinueWith(
            _ => _pinging.TryRemove(new KeyValuePair<string, Lazy<Task<string?>>>(agent, ping)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return ping.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await _setupGate.WaitAsync();
        try
        {
            _disposed = true;
            if (Interlocked.Exchange(ref _consumer, null) is { } consumer)
            {
                // Cancelling the consumer removes the temporary queue and its bindings.
                await consumer.DisposeAsync();
            }
        }
        finally
        {
            _setupGate.Release();
        }

        _setupGate.Dispose();
    }

    private async Task<string?> PingOnceAsync(string agent)
    {
        var id = Guid.NewGuid().ToString("N");
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadline = new CancellationTokenSource(options.AgentPingTimeout, time);
        _answers[id] = answered;
        try
        {
            await EnsureReplyQueueAsync(deadline.Token);
            await BindAsync(agent, deadline.Token);
            var expiration = options.AgentPingTimeout - ExpirationMargin;
            await broker.PublishAsync(
                QueueNames.Service(agent),
                new OutgoingMessage
                {
                    Body = ServiceTaskMessage.ForPing().ToBody(),
                    CorrelationId = id,
                    MessageId = id,
                    ReplyTo = _replyQueue,
                    Expiration = expiration > TimeSpan.Zero ? expiration : TimeSpan.Zero,
                },
                deadline.Token);
            await answered.Task.WaitAsync(deadline.Token);
            _aliveUntil[agent] = time.GetUtcNow() + options.AgentPingCacheTime;
            return null;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Failed(agent, "no answer");
        }
        catch (QueueNotFoundException)
        {
            return Failed(agent, "the agent never declared its service queue");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return Failed(agent, e.Message);
        }
        finally
        {
            _answers.TryRemove(id, out _);
        }
    }

    /// <summary>Declares the manager's reply queue and starts its consumer, once (again after a failed attempt).</summary>
    private async Task EnsureReplyQueueAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _consumer) is not null)
        {
            return;
        }

        await _setupGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_consumer is not null)
            {
                return;
            }

            try
            {
                await broker.DeclareTemporaryQueueAsync(_replyQueue, cancellationToken);
                Volatile.Write(ref _consumer, await broker.ConsumeAsync(_replyQueue, OnReplyAsync, prefetch: 256, cancellationToken));
            }
            catch
            {
                // Declared but not consumed: removed so the next ping starts from a clean state.
                await broker.DeleteQueueAsync(_replyQueue, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _setupGate.Release();
        }
    }

    /// <summary>Binds the reply queue to the agent's exchange, once per agent (again after a failed attempt).</summary>
    private async Task BindAsync(string agent, CancellationToken cancellationToken)
    {
        var bind = _bound.GetOrAdd(agent, name => new Lazy<Task>(() => broker.BindReplyQueueAsync(_replyQueue, name, CancellationToken.None)));
        try
        {
            await bind.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (bind.Value.IsFaulted || bind.Value.IsCanceled)
        {
            _bound.TryRemove(new KeyValuePair<string, Lazy<Task>>(agent, bind));
            throw;
        }
    }

    private async Task OnReplyAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        await message.AckAsync(cancellationToken);
        if (message.CorrelationId is { } id
            && ServiceTaskMessage.IsPingReply(message.Body.Span)
            && _answers.TryGetValue(id, out var answered))
        {
            answered.TrySetResult();
        }
    }

    private string Failed(string agent, string reason)
    {
        _aliveUntil.TryRemove(agent, out _);
        Log.AgentPingFailed(logger, agent, options.AgentPingTimeout.TotalSeconds, reason);
        return reason;
    }
}
