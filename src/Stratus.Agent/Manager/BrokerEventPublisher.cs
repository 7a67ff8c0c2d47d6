using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Stratus.Messaging;

namespace Stratus.Agent.Manager;

/// <summary>
/// Publishes operation events to <c>cloudify-events-topic</c> (routing key <c>events</c>) and logs to
/// <c>cloudify-logs</c>: a batch goes as one persistent message per exchange whose body is the JSON array of its items
/// (Cloudify's senders publish one item per message; the managers read both), awaited until the broker confirms it.
/// Every item carries its idempotency key, so a batch published again after a failure is stored once. The exchanges,
/// the queue and its bindings are declared on first use, so lines sent before any manager consumed are kept. An agent
/// connected as its own broker user (<see cref="AgentOptions.RequestBrokerUser"/>) declares only the exchanges: the
/// queue is the managers' and outside that user's permissions.
/// </summary>
internal sealed class BrokerEventPublisher(IMessageBroker broker, IOptions<AgentOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _declareGate = new(1, 1);
    private bool _declared;

    public async Task PublishAsync(
        IReadOnlyList<JsonObject> events, IReadOnlyList<JsonObject> logs, string agentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(logs);
        await EnsureDeclaredAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["agent_name"] = agentName };
        // checkpoint: the caller resends the whole batch unless both confirms arrived; the keys make that harmless.
        await Task.WhenAll(
            PublishBatchAsync(LogsEventsTopology.EventsExchange, LogsEventsTopology.EventsRoutingKey, events, headers, cancellationToken),
            PublishBatchAsync(LogsEventsTopology.LogsExchange, "", logs, headers, cancellationToken));
    }

    public void Dispose() => _declareGate.Dispose();

    /// <summary>One message for the whole batch: a JSON array of the items (a single item still goes as an array).</summary>
    private Task PublishBatchAsync(
        string exchange, string routingKey, IReadOnlyList<JsonObject> items, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return Task.CompletedTask;
        }

        var body = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        return broker.PublishToExchangeAsync(
            exchange,
            routingKey,
            new OutgoingMessage { Body = body.WrittenMemory, Headers = headers },
            cancellationToken);
    }

    private async Task EnsureDeclaredAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _declared))
        {
            return;
        }

        await _declareGate.WaitAsync(cancellationToken);
        try
        {
            if (!_declared)
            {
                await (options.Value.RequestBrokerUser
                    ? LogsEventsTopology.DeclareExchangesAsync(broker, cancellationToken)
                    : LogsEventsTopology.DeclareAsync(broker, cancellationToken));
                Volatile.Write(ref _declared, true);
            }
        }
        finally
        {
            _declareGate.Release();
        }
    }
}
