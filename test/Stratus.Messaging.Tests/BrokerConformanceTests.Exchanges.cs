using Stratus.Messaging;

namespace Stratus.Messaging.Tests;

/// <summary>Exchanges and bindings (fanout, topic, direct), as Cloudify's events and logs path uses them.</summary>
public abstract partial class BrokerConformanceTests
{
    [Fact]
    public async Task FanoutExchange_DeliversToEveryBoundQueue_WithExchangeAndRoutingKey()
    {
        var exchange = await DeclareExchangeAsync(ExchangeKind.Fanout);
        var first = await DeclareAsync();
        var second = await DeclareAsync();
        await Broker.BindQueueAsync(first, exchange, "", Cancel);
        await Broker.BindQueueAsync(second, exchange, "ignored", Cancel);
        await Broker.BindQueueAsync(second, exchange, "ignored", Cancel);

        await Broker.PublishToExchangeAsync(exchange, "any.key", Message("log line", messageId: "m-1"), Cancel);

        foreach (var queue in new[] { first, second })
        {
            var inbox = new Inbox();
            await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
            var received = await inbox.NextAsync($"the fanout copy in {queue}");
            Assert.Equal("log line", Text(received));
            Assert.Equal("m-1", received.MessageId);
            Assert.Equal(exchange, received.Exchange);
            Assert.Equal("any.key", received.RoutingKey);
            await received.AckAsync(Cancel);
        }
    }

    [Fact]
    public async Task TopicExchange_RoutesByPattern_HashMatchesZeroOrMoreWords()
    {
        var exchange = await DeclareExchangeAsync(ExchangeKind.Topic);
        var events = await DeclareAsync();
        var oneWord = await DeclareAsync();
        await Broker.BindQueueAsync(events, exchange, "events.#", Cancel);
        await Broker.BindQueueAsync(oneWord, exchange, "events.*", Cancel);

        await Broker.PublishToExchangeAsync(exchange, "events", Message("bare"), Cancel);
        await Broker.PublishToExchangeAsync(exchange, "events.hooks", Message("hook"), Cancel);
        await Broker.PublishToExchangeAsync(exchange, "events.a.b", Message("deep"), Cancel);
        await Assert.ThrowsAsync<QueueNotFoundException>(
            () => Broker.PublishToExchangeAsync(exchange, "logs.x", Message("unroutable"), Cancel));

        var all = new Inbox();
        await using (await Broker.ConsumeAsync(events, (m, _) => all.Add(m), prefetch: 10, Cancel))
        {
            var keys = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var m = await all.NextAsync($"message {i + 1} of 3 bound by events.#");
                keys.Add(m.RoutingKey);
                await m.AckAsync(Cancel);
            }

            Assert.Equal(["events", "events.a.b", "events.hooks"], keys.Order(StringComparer.Ordinal));
        }

        var single = new Inbox();
        await using (await Broker.ConsumeAsync(oneWord, (m, _) => single.Add(m), prefetch: 10, Cancel))
        {
            var m = await single.NextAsync("the one message bound by events.*");
            Assert.Equal("hook", Text(m));
            await m.AckAsync(Cancel);
        }
    }

    [Fact]
    public async Task DirectExchange_RoutesOnEqualKey_AndRedeliveryKeepsTheRoute()
    {
        var exchange = await DeclareExchangeAsync(ExchangeKind.Direct);
        var queue = await DeclareAsync();
        await Broker.BindQueueAsync(queue, exchange, "k", Cancel);
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(exchange, "other", Message("x"), Cancel));

        await Broker.PublishToExchangeAsync(exchange, "k", Message("direct"), Cancel);

        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var first = await inbox.NextAsync("the direct message");
        await first.NackAsync(requeue: true, Cancel);
        var again = await inbox.NextAsync("the redelivered direct message");
        Assert.Equal(2, again.DeliveryCount);
        Assert.Equal(exchange, again.Exchange);
        Assert.Equal("k", again.RoutingKey);
        await again.AckAsync(Cancel);
    }

    [Fact]
    public async Task Exchange_MustBeDeclared_AndDeletingAQueueRemovesItsBindings()
    {
        var missing = "conformance-x-" + Guid.NewGuid().ToString("N");
        var queue = await DeclareAsync();
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(missing, "", Message("x"), Cancel));
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.BindQueueAsync(queue, missing, "", Cancel));

        var exchange = await DeclareExchangeAsync(ExchangeKind.Fanout);
        await Broker.BindQueueAsync(queue, exchange, "", Cancel);
        await Broker.DeleteQueueAsync(queue, Cancel);

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(exchange, "", Message("nowhere"), Cancel));
    }

    [Fact]
    public async Task Queue_PublishedToDirectly_ReportsTheDefaultExchangeAndItsName()
    {
        var queue = await DeclareAsync();
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);

        await Broker.PublishAsync(queue, Message("plain"), Cancel);

        var received = await inbox.NextAsync("the message published to the queue");
        Assert.Equal("", received.Exchange);
        Assert.Equal(queue, received.RoutingKey);
        await received.AckAsync(Cancel);
    }

    protected async Task<string> DeclareExchangeAsync(ExchangeKind kind)
    {
        var exchange = "conformance-x-" + Guid.NewGuid().ToString("N");
        var broker = Broker;
        _declaredExchanges.Add(exchange);
        await broker.DeclareExchangeAsync(exchange, kind, Cancel);
        return exchange;
    }
}
