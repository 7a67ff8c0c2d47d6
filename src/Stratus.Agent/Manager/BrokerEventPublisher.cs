using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Stratus.Messaging;

namespace Stratus.Agent.Manager;

/// <summary>
/// Publishes operation events to <c>cloudify-events-topic</c> (routing key <c>events</c>) and logs to
/// <c>cloudify-logs</c>, persistent, awaited until the broker confirms every message. While <see cref="EventWire"/>
/// allows it (every live manager reads batches), a batch goes as one message per exchange whose body is the JSON array
/// of its items; otherwise each item is its own message, a JSON object, as Cloudify's agents send it, which every
/// manager, old or new, reads. Every item carries its idempotency key, so a batch published again after a failure (in
/// either shape) is stored once. The exchanges,
/// the queue and its bindings are declared on first use, so lines sent before any manager consumed are kept. An agent
/// connected as its own broker user (<see cref="AgentOptions.RequestBrokerUser"/>) declares only the exchanges: the
/// queue is the managers' and outside that user's permissions.
/// </summary>
internal sealed class BrokerEventPublisher(IMessageBroker broker, IOptions<AgentOptions> options, EventWire wire) : IDisposable
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
        Func<string, string, IReadOnlyList<JsonObject>, IReadOnlyDictionary<string, string>, CancellationToken, Task> publish =
            wire.PublishBatches ? PublishBatchAsync : PublishLinesAsync;
        // checkpoint: the caller resends the whole batch unless every confirm arrived; the keys make that harmless.
        await Task.WhenAll(
            publish(LogsEventsTopology.EventsExchange, LogsEventsTopology.EventsRoutingKey, events, headers, cancellationToken),
            publish(LogsEventsTopology.LogsExchange, "", logs, headers, cancellationToken));
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

    /// <summary>One message per item, its body the item's JSON object (Cloudify's shape); all awaited together.</summary>
    private Task PublishLinesAsync(
        string exchange, string routingKey, IReadOnlyList<JsonObject> items, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var sends = new Task[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var body = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(body))
            {
                items[i].WriteTo(writer);
            }

            sends[i] = broker.PublishToExchangeAsync(
                exchange,
                routingKey,
                new OutgoingMessage { Body = body.WrittenMemory, Headers = headers },
                cancellationToken);
        }

        return Task.WhenAll(sends);
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
