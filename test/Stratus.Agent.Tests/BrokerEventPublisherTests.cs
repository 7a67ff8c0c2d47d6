using System.Collections.Concurrent;
using System.Text.Json.Nodes;
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
        using var publisher = new BrokerEventPublisher(broker, Options.Create(new AgentOptions()));
        var received = new ConcurrentQueue<IncomingMessage>();
        var events = Enumerable.Range(0, 3).Select(i => Item("cloudify_event", $"e{i}")).ToList();
        var logs = Enumerable.Range(0, 2).Select(i => Item("cloudify_log", $"l{i}")).ToList();

        await publisher.PublishAsync(events, logs, "vm_abc", Cancel);
        Assert.Equal(2, broker.GetReadyCount(LogsEventsTopology.Queue));
        await using var consumer = await broker.ConsumeAsync(
            LogsEventsTopology.Queue,
            async (message, ct) =>
            {
                received.Enqueue(message);
                await message.AckAsync(ct);
            },
            10,
            Cancel);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (received.Count < 2)
        {
            await Task.Delay(10, deadline.Token);
        }

        Assert.Equal(2, received.Count);
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
        using var publisher = new BrokerEventPublisher(broker, Options.Create(new AgentOptions()));

        await publisher.PublishAsync([], [Item("cloudify_log", "only")], "vm_abc", Cancel);

        // The publish is confirmed, so the message is in the queue: exactly one, the logs array.
        Assert.Equal(1, broker.GetReadyCount(LogsEventsTopology.Queue));
        var received = new TaskCompletionSource<IncomingMessage>();
        await using var consumer = await broker.ConsumeAsync(LogsEventsTopology.Queue, (m, _) => { received.TrySetResult(m); return Task.CompletedTask; }, 10, Cancel);
        var only = await received.Task.WaitAsync(TimeSpan.FromSeconds(20), Cancel);
        Assert.Equal(LogsEventsTopology.LogsExchange, only.Exchange);
        Assert.Equal(["only"], Keys(only));
    }

    private static JsonObject Item(string type, string key) => new()
    {
        ["type"] = type,
        ["context"] = new JsonObject { ["execution_id"] = "ex-1" },
        ["message"] = new JsonObject { ["text"] = "text " + key },
        ["idempotency_key"] = key,
    };

    private static List<string> Keys(IncomingMessage message) =>
        [.. JsonNode.Parse(message.Body.Span)!.AsArray().Select(i => i!["idempotency_key"]!.GetValue<string>())];
}
