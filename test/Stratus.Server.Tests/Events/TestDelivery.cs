using System.Text;
using System.Text.Json.Nodes;
using Stratus.Messaging;

namespace Stratus.Server.Tests.Events;

/// <summary>A delivery that records how it was settled.</summary>
internal sealed class TestDelivery : IncomingMessage
{
    private readonly TaskCompletionSource _acked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nacks;

    public Task Acked => _acked.Task;

    public bool IsAcked => _acked.Task.IsCompleted;

    public int Nacks => Volatile.Read(ref _nacks);

    public override Task AckAsync(CancellationToken cancellationToken = default)
    {
        _acked.TrySetResult();
        return Task.CompletedTask;
    }

    public override Task NackAsync(bool requeue, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _nacks);
        return Task.CompletedTask;
    }

    public static TestDelivery Log(string executionId, string text, string? key = null, string? messageId = null) =>
        Raw(LogsEventsTopology.LogsExchange, "", LogItem(executionId, text, key).ToJsonString(), messageId);

    /// <summary>A log line as Stratus's agents and Cloudify's senders write it.</summary>
    public static JsonObject LogItem(string executionId, string text, string? key = null)
    {
        var item = new JsonObject
        {
            ["context"] = new JsonObject { ["execution_id"] = executionId, ["node_id"] = "vm_1" },
            ["logger"] = "ctx",
            ["level"] = "info",
            ["message"] = new JsonObject { ["text"] = text },
            ["timestamp"] = "2026-11-26T06:00:00.000Z",
            ["message_code"] = null,
            ["type"] = "cloudify_log",
        };
        if (key is not null)
        {
            item["idempotency_key"] = key;
        }

        return item;
    }

    /// <summary>Several items in one message, as Stratus's agents publish a batch: a JSON array.</summary>
    public static TestDelivery Batch(string exchange, params JsonNode?[] items) =>
        Raw(exchange, exchange == LogsEventsTopology.EventsExchange ? LogsEventsTopology.EventsRoutingKey : "", new JsonArray(items).ToJsonString());

    public static TestDelivery Event(string executionId, string eventType, string routingKey = LogsEventsTopology.EventsRoutingKey) =>
        Raw(
            LogsEventsTopology.EventsExchange,
            routingKey,
            new JsonObject
            {
                ["event_type"] = eventType,
                ["context"] = new JsonObject { ["execution_id"] = executionId },
                ["message"] = new JsonObject { ["text"] = eventType, ["arguments"] = null },
                ["timestamp"] = "2026-11-26T06:00:00.000Z",
                ["type"] = "cloudify_event",
            }.ToJsonString());

    public static TestDelivery Raw(string exchange, string routingKey, string body, string? messageId = null) => new()
    {
        Body = Encoding.UTF8.GetBytes(body),
        Exchange = exchange,
        RoutingKey = routingKey,
        MessageId = messageId,
    };
}
