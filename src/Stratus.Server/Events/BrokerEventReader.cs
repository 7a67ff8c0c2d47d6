using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Events;

/// <summary>
/// Turns one delivery of <c>cloudify-logs-events</c> into rows: one for Cloudify's one-item messages, one per item for
/// a batch (a JSON array). The execution named by <c>context.execution_id</c> gives tenant, creator, visibility and
/// deployment (cached, as Cloudify caches it; an unknown one is forgotten after each batch since it may be committed by
/// then). The idempotency key is the item's <c>idempotency_key</c> (Stratus's agents set one per line); else the AMQP
/// <c>message_id</c>; else one derived from the delivery itself: SHA-256 of exchange, routing key and body (with the
/// item's index for an item of an array). A redelivery carries the same bytes, so a crash between commit and ack stores it
/// once; two messages byte-for-byte identical (same timestamp to the millisecond, text and context) are stored once.
/// </summary>
internal sealed class BrokerEventReader(IStratusStore store, TimeProvider time)
{
    private const int CacheSize = 1000;
    private readonly Dictionary<string, Execution?> _executions = new(StringComparer.Ordinal);

    /// <summary>
    /// A read delivery: the rows to store (none when it is dropped or ignored), and why it, or some of its items, are
    /// dropped (null: nothing dropped, or ignored silently).
    /// </summary>
    internal sealed record Result(IncomingMessage Message, IReadOnlyList<StoredEvent> Rows, string? DropReason);

    /// <summary>
    /// Reads a delivery: one item (a JSON object, as Cloudify's senders publish) or several (a JSON array of such objects,
    /// as Stratus's agents publish a batch of lines). An item that cannot be stored is dropped alone, the others are kept.
    /// Only a store failure (the execution lookup) throws.
    /// </summary>
    public async Task<Result> ReadAsync(IncomingMessage message, CancellationToken cancellationToken = default)
    {
        if (message.Exchange == LogsEventsTopology.EventsExchange && message.RoutingKey == LogsEventsTopology.HooksRoutingKey)
        {
            return new Result(message, [], null);
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(message.Body.Span);
        }
        catch (JsonException)
        {
            return new Result(message, [], "the body is not JSON");
        }

        if (body is JsonObject single)
        {
            var (row, reason) = await ReadItemAsync(message, single, () => DerivedKey(message), cancellationToken);
            return new Result(message, row is null ? [] : [row], reason);
        }

        if (body is not JsonArray items || items.Count == 0)
        {
            return new Result(message, [], "the body is neither a JSON object nor a non-empty array of them");
        }

        var rows = new List<StoredEvent>(items.Count);
        var dropped = new List<string>();
        // Hashed once per delivery, and only when an item has no key of its own.
        var derived = new Lazy<string>(() => DerivedKey(message), LazyThreadSafetyMode.None);
        for (var i = 0; i < items.Count; i++)
        {
            var index = i.ToString(CultureInfo.InvariantCulture);
            var (row, reason) = items[i] is JsonObject item
                ? await ReadItemAsync(message, item, () => derived.Value + "#" + index, cancellationToken)
                : (null, "not a JSON object");
            if (row is not null)
            {
                rows.Add(row);
            }
            else if (reason is not null)
            {
                dropped.Add($"item {i}: {reason}");
            }
        }

        return new Result(message, rows, dropped.Count == 0 ? null : $"{dropped.Count} of {items.Count} items dropped ({string.Join("; ", dropped.Take(3))})");
    }

    /// <summary>One item of a delivery; <paramref name="derivedKey"/> gives its key when it carries none.</summary>
    private async Task<(StoredEvent? Row, string? DropReason)> ReadItemAsync(
        IncomingMessage message, JsonObject item, Func<string> derivedKey, CancellationToken cancellationToken)
    {
        var type = message.Exchange switch
        {
            LogsEventsTopology.EventsExchange => EventItems.EventType,
            LogsEventsTopology.LogsExchange => EventItems.LogType,
            _ => EventItems.Text(item, "type") is EventItems.EventType or EventItems.LogType ? EventItems.Text(item, "type") : null,
        };
        if (type is null)
        {
            return (null, "neither an event nor a log (unknown exchange and no type)");
        }

        var executionId = item["context"] is JsonObject context ? EventItems.Text(context, "execution_id") : null;
        if (string.IsNullOrEmpty(executionId))
        {
            return (null, "no context.execution_id");
        }

        var execution = await GetExecutionAsync(executionId, cancellationToken);
        if (execution is null)
        {
            return (null, $"no execution {executionId}");
        }

        var key = EventItems.Text(item, "idempotency_key") is { Length: > 0 and <= EventItems.MaxKeyLength } own ? own : derivedKey();
        var row = EventItems.ToStored(
            item,
            type,
            execution,
            time.GetUtcNow(),
            message.Headers.GetValueOrDefault("agent_name"),
            message.Headers.GetValueOrDefault("manager_name"),
            key,
            acceptReportedTimestamp: false);
        return (row, null);
    }

    /// <summary>Forgets every cached execution (a batch failed: the cache may be stale).</summary>
    public void Forget() => _executions.Clear();

    /// <summary>Forgets the executions found missing, which may exist by the next batch.</summary>
    public void ForgetUnknown()
    {
        foreach (var id in _executions.Where(e => e.Value is null).Select(e => e.Key).ToList())
        {
            _executions.Remove(id);
        }
    }

    /// <summary>The key a delivery without its own gets: the same for every redelivery of the same message.</summary>
    public static string DerivedKey(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageId is { Length: > 0 and <= 150 } id)
        {
            return "amqp-id:" + id;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(message.Exchange + "\n" + message.RoutingKey + "\n" + message.MessageId + "\n"));
        hash.AppendData(message.Body.Span);
        return "amqp-sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task<Execution?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        if (_executions.TryGetValue(executionId, out var cached))
        {
            return cached;
        }

        var execution = await store.GetExecutionAsync(null, executionId, cancellationToken);
        if (_executions.Count >= CacheSize)
        {
            _executions.Clear();
        }

        _executions[executionId] = execution;
        return execution;
    }
}
