using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Workflows.Tests.Support;

/// <summary>One operation as the agent received it.</summary>
internal sealed record Delivery(string NodeInstanceId, string Operation, int RetryNumber, JsonObject Kwargs, string CorrelationId, string ReplyTo)
{
    public JsonObject Context => (JsonObject)Kwargs[TaskContext.KwargName]!;

    public string Key => $"{NodeInstanceId}:{Operation}";
}

/// <summary>
/// Stands in for the operation executor on <c>cloudify.management_operation</c>: records every operation in arrival
/// order and answers as the test's script says (null = hold the reply until <see cref="ReplyAsync"/>).
/// </summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly IMessageBroker _broker;
    private readonly Func<Delivery, TaskResponse?> _script;
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Delivery>> _waiters = new();
    private IAsyncDisposable? _consumer;
    private IAsyncDisposable? _service;
    private int _pings;

    private FakeAgent(IMessageBroker broker, Func<Delivery, TaskResponse?> script, string target)
    {
        _broker = broker;
        _script = script;
        Target = target;
    }

    public string Target { get; }

    /// <summary>Whether a ping on the agent's service queue is answered (a host agent that hangs does not).</summary>
    public bool AnswersPings { get; set; } = true;

    /// <summary>Pings received so far, answered or not.</summary>
    public int Pings => Volatile.Read(ref _pings);

    private readonly List<(Func<Delivery, bool> Predicate, TaskCompletionSource<Delivery> Done)> _matchers = [];

    public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];

    /// <summary>When set and answering non-null, decides the reply before the agent's own script.</summary>
    public Func<Delivery, TaskResponse?>? Override { get; set; }

    public IReadOnlyList<string> Order => [.. _deliveries.Select(d => d.Key)];

    /// <param name="target">The agent's name (its queue is <c>&lt;target&gt;_operation</c>); the manager's own by default.</param>
    public static async Task<FakeAgent> StartAsync(IMessageBroker broker, Func<Delivery, TaskResponse?> script, string target = QueueNames.Management)
    {
        var agent = new FakeAgent(broker, script, target);
        var queue = QueueNames.Operations(target);
        await broker.DeclareQueueAsync(queue, QueueOptions.Default);
        agent._consumer = await broker.ConsumeAsync(queue, agent.HandleAsync, prefetch: 16);
        if (target != QueueNames.Management)
        {
            var service = QueueNames.Service(target);
            await broker.DeclareQueueAsync(service, QueueOptions.Default);
            agent._service = await broker.ConsumeAsync(service, agent.HandleServiceAsync, prefetch: 16);
        }

        return agent;
    }

    public static TaskResponse Success() => new() { Ok = true };

    public static TaskResponse Returning(JsonNode result) => new() { Ok = true, Result = result };

    public static TaskResponse Failure(string knownType, string message, double? retryAfter = null) => new()
    {
        Ok = false,
        Error = new TaskError
        {
            ExceptionType = knownType,
            Message = message,
            KnownExceptionType = knownType,
            KnownExceptionTypeArgs = retryAfter is { } r ? [r] : [],
            KnownExceptionTypeKwargs = new JsonObject { ["causes"] = new JsonArray() },
        },
    };

    /// <summary>
    /// A task that completes when the <paramref name="occurrence"/>-th operation with <paramref name="key"/>
    /// (instance:operation) arrives.
    /// </summary>
    public Task<Delivery> WhenReceived(string key, int occurrence = 1) => Waiter(key, occurrence).Task;

    /// <summary>A task that completes with the first operation (already received or still to come) that matches.</summary>
    public Task<Delivery> WhenAny(Func<Delivery, bool> predicate)
    {
        var done = new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_matchers)
        {
            if (_deliveries.FirstOrDefault(predicate) is { } already)
            {
                done.SetResult(already);
            }
            else
            {
                _matchers.Add((predicate, done));
            }
        }

        return done.Task;
    }

    /// <summary>Completes when the <paramref name="occurrence"/>-th ping arrives.</summary>
    public Task<Delivery> WhenPinged(int occurrence = 1) =>
        _waiters.GetOrAdd($"ping#{occurrence}", _ => new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Replies as an agent does: through its own exchange, which the engine bound the reply queue to.</summary>
    public Task ReplyAsync(Delivery delivery, TaskResponse response) =>
        _broker.PublishToExchangeAsync(
            Target,
            delivery.ReplyTo,
            new OutgoingMessage { Body = JsonSerializer.SerializeToUtf8Bytes(response), CorrelationId = delivery.CorrelationId });

    public async ValueTask DisposeAsync()
    {
        if (_consumer is not null)
        {
            await _consumer.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    private async Task HandleServiceAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        if (ServiceTaskMessage.TryRead(message.Body.Span) is { Task.TaskName: ServiceTaskMessage.Ping })
        {
            var count = Interlocked.Increment(ref _pings);
            var answers = AnswersPings;
            _waiters.GetOrAdd($"ping#{count}", _ => new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetResult(new Delivery("", "ping", count, [], message.CorrelationId ?? "", message.ReplyTo ?? ""));
            if (answers && message.ReplyTo is { } replyTo)
            {
                await _broker.PublishToExchangeAsync(
                    Target,
                    replyTo,
                    new OutgoingMessage { Body = ServiceTaskMessage.PingReply(DateTimeOffset.UnixEpoch), CorrelationId = message.CorrelationId },
                    cancellationToken);
            }
        }

        await message.AckAsync(cancellationToken);
    }

    private async Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var task = JsonSerializer.Deserialize<TaskMessage>(message.Body.Span)!;
        var context = (JsonObject)task.CloudifyTask.Kwargs[TaskContext.KwargName]!;
        var operation = (JsonObject)context["operation"]!;
        var delivery = new Delivery(
            context["node_id"]?.GetValue<string>() ?? "",
            operation["name"]!.GetValue<string>(),
            operation["retry_number"]!.GetValue<int>(),
            task.CloudifyTask.Kwargs,
            message.CorrelationId!,
            message.ReplyTo!);
        _deliveries.Enqueue(delivery);
        var occurrence = _deliveries.Count(d => d.Key == delivery.Key);
        var response = _script(delivery);
        if (response is not null)
        {
            await ReplyAsync(delivery, response);
        }

        await message.AckAsync(cancellationToken);
        Waiter(delivery.Key, occurrence).TrySetResult(delivery);
        lock (_matchers)
        {
            foreach (var matcher in _matchers.Where(m => m.Predicate(delivery)).ToList())
            {
                matcher.Done.TrySetResult(delivery);
                _matchers.Remove(matcher);
            }
        }
    }

    private TaskCompletionSource<Delivery> Waiter(string key, int occurrence) =>
        _waiters.GetOrAdd($"{key}#{occurrence}", _ => new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously));
}
