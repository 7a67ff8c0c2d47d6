using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Cloudify's check before sending to an agent (<c>is_agent_alive</c>): a <c>ping</c> service task on the agent's
/// service queue, answered through the agent's own exchange on a temporary reply queue <c>&lt;agent&gt;_response_&lt;id&gt;</c>;
/// the message expires 200 ms before the timeout, so an agent that comes back late does not answer a ping nobody
/// waits for. One ping per agent at a time, shared by every run of this manager; an answer is trusted for
/// <see cref="WorkflowOptions.AgentPingCacheTime"/>.
/// </summary>
internal sealed class AgentPinger(IMessageBroker broker, TimeProvider time, WorkflowOptions options, ILogger logger)
{
    private static readonly TimeSpan ExpirationMargin = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _aliveUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _pinging = new(StringComparer.Ordinal);

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

    private async Task<string?> PingOnceAsync(string agent)
    {
        var id = Guid.NewGuid().ToString("N");
        var replyQueue = $"{agent}_response_{id}";
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadline = new CancellationTokenSource(options.AgentPingTimeout, time);
        try
        {
            await broker.DeclareTemporaryQueueAsync(replyQueue, deadline.Token);
            await broker.BindReplyQueueAsync(replyQueue, agent, deadline.Token);
            // Disposing the consumer removes the temporary queue.
            await using var consumer = await broker.ConsumeAsync(
                replyQueue,
                async (message, cancellationToken) =>
                {
                    await message.AckAsync(cancellationToken);
                    if (message.CorrelationId == id && ServiceTaskMessage.IsPingReply(message.Body.Span))
                    {
                        answered.TrySetResult();
                    }
                },
                prefetch: 1,
                deadline.Token);
            var expiration = options.AgentPingTimeout - ExpirationMargin;
            await broker.PublishAsync(
                QueueNames.Service(agent),
                new OutgoingMessage
                {
                    Body = ServiceTaskMessage.ForPing().ToBody(),
                    CorrelationId = id,
                    MessageId = id,
                    ReplyTo = replyQueue,
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
    }

    private string Failed(string agent, string reason)
    {
        _aliveUntil.TryRemove(agent, out _);
        Log.AgentPingFailed(logger, agent, options.AgentPingTimeout.TotalSeconds, reason);
        return reason;
    }
}
