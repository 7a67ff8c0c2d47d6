using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;

namespace Stratus.Agent.Tests;

/// <summary>What an agent on the broker publishes for a batch of lines, as the managers' queue receives it.</summary>
public sealed class BrokerEventPublisherTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Batch_IsOneArrayMessagePerExchange_WithEveryItemAndItsKey_AndTheAgentHeader()
    {
        var broker = new InProcessBroker();
        using var publisher = Publisher(broker, batches: true);
        var events = Enumerable.Range(0, 3).Select(i => Item("cloudify_event", $"e{i}")).ToList();
        var logs = Enumerable.Range(0, 2).Select(i => Item("cloudify_log", $"l{i}")).ToList();

        await publisher.PublishAsync(events, logs, "vm_abc", Cancel);
        var received = await ReceiveAsync(broker, 2);

        var byExchange = received.ToDictionary(m => m.Exchange);
        Assert.Equal(LogsEventsTopology.EventsRoutingKey, byExchange[LogsEventsTopology.EventsExchange].RoutingKey);
        Assert.Equal(["e0", "e1", "e2"], Keys(byExchange[LogsEventsTopology.EventsExchange]));
        Assert.Equal(["l0", "l1"], Keys(byExchange[LogsEventsTopology.LogsExchange]));
        Assert.All(received, m => Assert.Equal("vm_abc", m.Headers["agent_name"]));
        // The caller's items are left as they were: it resends them if a confirm does not come.
        Assert.Equal("e0", events[0]["idempotency_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyLogs_PublishesNoEventMessage()
    {
        var broker = new InProcessBroker();
        using var publisher = Publisher(broker, batches: true);

        await publisher.PublishAsync([], [Item("cloudify_log", "only")], "vm_abc", Cancel);

        var only = Assert.Single(await ReceiveAsync(broker, 1));
        Assert.Equal(LogsEventsTopology.LogsExchange, only.Exchange);
        Assert.Equal(["only"], Keys(only));
    }

    /// <summary>
    /// Until the agent knows every manager reads arrays (a manager older than batches drops them), each line is its own
    /// message holding one JSON object, as Cloudify's agents send it.
    /// </summary>
    [Theory]
    [InlineData(false, "never learnt")]
    [InlineData(true, "learnt, then a manager reading only lines joined")]
    public async Task UntilEveryManagerReadsBatches_EachLineIsItsOwnObjectMessage_WithItsKey(bool learnt, string phase)
    {
        var broker = new InProcessBroker();
        var wire = new EventWire();
        if (learnt)
        {
            wire.TrySet(true);
            wire.TrySet(false);
        }

        using var publisher = new BrokerEventPublisher(broker, Options.Create(new AgentOptions()), wire);
        var events = Enumerable.Range(0, 3).Select(i => Item("cloudify_event", $"e{i}")).ToList();
        var logs = Enumerable.Range(0, 2).Select(i => Item("cloudify_log", $"l{i}")).ToList();

        await publisher.PublishAsync(events, logs, "vm_abc", Cancel);
        var received = await ReceiveAsync(broker, 5, phase);

        Assert.All(received, m => Assert.IsType<JsonObject>(JsonNode.Parse(m.Body.Span)));
        Assert.Equal(
            ["e0", "e1", "e2"],
            received.Where(m => m.Exchange == LogsEventsTopology.EventsExchange).Select(m => JsonNode.Parse(m.Body.Span)!["idempotency_key"]!.GetValue<string>()).Order());
        Assert.Equal(
            ["l0", "l1"],
            received.Where(m => m.Exchange == LogsEventsTopology.LogsExchange).Select(m => JsonNode.Parse(m.Body.Span)!["idempotency_key"]!.GetValue<string>()).Order());
        Assert.All(received.Where(m => m.Exchange == LogsEventsTopology.EventsExchange), m => Assert.Equal(LogsEventsTopology.EventsRoutingKey, m.RoutingKey));
        Assert.All(received, m => Assert.Equal("vm_abc", m.Headers["agent_name"]));
    }

    internal static BrokerEventPublisher Publisher(IMessageBroker broker, bool batches)
    {
        var wire = new EventWire();
        wire.TrySet(batches);
        return new BrokerEventPublisher(broker, Options.Create(new AgentOptions()), wire);
    }

    internal static JsonObject Item(string type, string key) => new()
    {
        ["type"] = type,
        ["context"] = new JsonObject { ["execution_id"] = "ex-1" },
        ["message"] = new JsonObject { ["text"] = "text " + key },
        ["idempotency_key"] = key,
    };

    /// <summary>
    /// The publish is confirmed, so its messages are in the queue: asserts there are exactly <paramref name="count"/>
    /// and returns them (acked).
    /// </summary>
    internal static async Task<List<IncomingMessage>> ReceiveAsync(InProcessBroker broker, int count, string phase = "")
    {
        Assert.True(broker.GetReadyCount(LogsEventsTopology.Queue) == count, $"{phase}: expected {count} messages in the queue, found {broker.GetReadyCount(LogsEventsTopology.Queue)}");
        var received = Channel.CreateUnbounded<IncomingMessage>();
        await using var consumer = await broker.ConsumeAsync(
            LogsEventsTopology.Queue,
            async (message, ct) =>
            {
                await message.AckAsync(ct);
                received.Writer.TryWrite(message);
            },
            100,
            Cancel);
        var messages = new List<IncomingMessage>();
        while (messages.Count < count)
        {
            try
            {
                messages.Add(await received.Reader.ReadAsync(Cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Cancel));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{phase}: received {messages.Count} of {count} messages within 20 s");
            }
        }

        return messages;
    }

    internal static List<string> Keys(IncomingMessage message) =>
        [.. JsonNode.Parse(message.Body.Span)!.AsArray().Select(i => i!["idempotency_key"]!.GetValue<string>())];
}
