using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Stratus.Bench;

/// <summary>One operation as a simulated agent received it: where it was consumed, for which instance, and when.</summary>
internal sealed record Receipt(string Agent, string? NodeInstanceId, string? Operation, DateTimeOffset ReceivedAt, bool Redelivered);

/// <summary>
/// Many agents in this process, speaking the agent's side of the wire directly over RabbitMQ.Client (no Stratus
/// code): each agent has its own channel on one of a few connections (RabbitMQ allows 2,047 channels per connection),
/// declares its queue <c>&lt;name&gt;_operation</c> exactly as the manager does (durable quorum queue, delivery limit,
/// dead-letter queue, direct exchange <c>&lt;name&gt;</c> with key <c>operation</c>), consumes it, notes the arrival
/// time of every task, and answers <c>{"ok": true}</c> to its reply-to with its correlation id before acking, as the
/// real agent's TaskProcessor does.
/// </summary>
internal sealed class SimulatedAgents : IAsyncDisposable
{
    /// <summary>The manager's <c>QueueOptions.Default.MaxDeliveries</c> (5): the queue's delivery limit is one less.</summary>
    private const int MaxDeliveries = 5;

    private static readonly byte[] OkReply = Encoding.UTF8.GetBytes("{\"ok\":true,\"result\":null}");
    private static readonly byte[] PingReply = Encoding.UTF8.GetBytes("{\"time\":0}");

    private readonly List<IConnection> _connections = [];
    private readonly ConcurrentBag<IChannel> _channels = [];
    private readonly ConcurrentQueue<Receipt> _receipts = new();
    private readonly TimeProvider _time;

    private SimulatedAgents(TimeProvider time) => _time = time;

    public IReadOnlyCollection<Receipt> Receipts => _receipts;

    public int Connections => _connections.Count;

    public static async Task<SimulatedAgents> StartAsync(
        string brokerUrl, IReadOnlyList<string> names, int agentsPerConnection, int parallelism, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(agentsPerConnection, 2000);
        var agents = new SimulatedAgents(time);
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(brokerUrl), AutomaticRecoveryEnabled = false };
            for (var i = 0; i * agentsPerConnection < names.Count; i++)
            {
                agents._connections.Add(await factory.CreateConnectionAsync($"stratus-bench-b12-{i}", cancellationToken));
            }

            await Parallel.ForEachAsync(
                names.Select((name, index) => (name, index)),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (agent, token) => await agents.StartOneAsync(agents._connections[agent.index / agentsPerConnection], agent.name, token));
            return agents;
        }
        catch
        {
            await agents.DisposeAsync();
            throw;
        }
    }

    private async Task StartOneAsync(IConnection connection, string name, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        _channels.Add(channel);
        await channel.ExchangeDeclareAsync(name, ExchangeType.Direct, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        // As Stratus declares an agent's queues: the operation queue a quorum queue dead-lettered through the agent's
        // own exchange, the service queue (pings only) a plain classic queue.
        var operation = name + "_operation";
        var deadLetter = operation + ".dead-letter";
        await channel.QueueDeclareAsync(
            deadLetter, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(deadLetter, name, deadLetter, arguments: null, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(
            operation, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = MaxDeliveries - 1,
                ["x-dead-letter-exchange"] = name,
                ["x-dead-letter-routing-key"] = deadLetter,
            },
            cancellationToken: cancellationToken);
        await channel.QueueBindAsync(operation, name, "operation", arguments: null, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(
            name + "_service", durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "classic" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(name + "_service", name, "service", arguments: null, cancellationToken: cancellationToken);

        await channel.BasicQosAsync(0, 4, false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnTaskAsync(channel, name, delivery);
        await channel.BasicConsumeAsync(name + "_operation", autoAck: false, consumer, cancellationToken);
        var service = new AsyncEventingBasicConsumer(channel);
        service.ReceivedAsync += (_, delivery) => OnPingAsync(channel, name, delivery);
        await channel.BasicConsumeAsync(name + "_service", autoAck: false, service, cancellationToken);
    }

    /// <summary>Answers the manager's ping as an agent does: <c>{"time": ...}</c> through the agent's own exchange.</summary>
    private static async Task OnPingAsync(IChannel channel, string agent, BasicDeliverEventArgs delivery)
    {
        if (delivery.BasicProperties.ReplyTo is { Length: > 0 } replyTo)
        {
            var properties = new BasicProperties { ContentType = "application/json", CorrelationId = delivery.BasicProperties.CorrelationId };
            await channel.BasicPublishAsync(agent, replyTo, mandatory: false, properties, PingReply, CancellationToken.None);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
    }

    private async Task OnTaskAsync(IChannel channel, string agent, BasicDeliverEventArgs delivery)
    {
        var received = _time.GetUtcNow();
        string? instance = null, operation = null;
        try
        {
            var context = JsonNode.Parse(delivery.Body.Span)?["cloudify_task"]?["kwargs"]?["__cloudify_context"];
            instance = (string?)context?["node_id"];
            operation = (string?)context?["operation"]?["name"];
        }
        catch (System.Text.Json.JsonException)
        {
            // Recorded without an instance: counted as a stray message, which fails the run.
        }

        _receipts.Enqueue(new Receipt(agent, instance, operation, received, delivery.Redelivered));
        if (delivery.BasicProperties.ReplyTo is { Length: > 0 } replyTo)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                CorrelationId = delivery.BasicProperties.CorrelationId,
                MessageId = delivery.BasicProperties.CorrelationId,
            };
            // Through the agent's own exchange, which the engine bound the reply queue to.
            await channel.BasicPublishAsync(agent, replyTo, mandatory: false, properties, OkReply, CancellationToken.None);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            try
            {
                await connection.CloseAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or TimeoutException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                // Already gone: nothing to release on the broker.
            }

            connection.Dispose();
        }

        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
