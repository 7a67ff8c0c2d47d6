using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Stratus.Messaging;

namespace Stratus.Agent.Manager;

/// <summary>
/// Publishes operation events to <c>cloudify-events-topic</c> (routing key <c>events</c>) and logs to
/// <c>cloudify-logs</c>, one persistent message per item, each awaited until the broker confirms it. The item's
/// idempotency key is the message id too, so a batch published again after a failure is stored once. The exchanges,
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
        // checkpoint: the caller resends the whole batch unless every confirm arrived; the keys make that harmless.
        await Task.WhenAll(
            events.Select(e => PublishOneAsync(LogsEventsTopology.EventsExchange, LogsEventsTopology.EventsRoutingKey, e, headers, cancellationToken))
                .Concat(logs.Select(l => PublishOneAsync(LogsEventsTopology.LogsExchange, "", l, headers, cancellationToken))));
    }

    public void Dispose() => _declareGate.Dispose();

    private Task PublishOneAsync(
        string exchange, string routingKey, JsonObject item, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
        broker.PublishToExchangeAsync(
            exchange,
            routingKey,
            new OutgoingMessage
            {
                Body = JsonSerializer.SerializeToUtf8Bytes(item),
                MessageId = item["idempotency_key"]?.GetValue<string>(),
                Headers = headers,
            },
            cancellationToken);

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
