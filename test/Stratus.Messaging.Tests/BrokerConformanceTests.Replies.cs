using Stratus.Messaging;

namespace Stratus.Messaging.Tests;

/// <summary>What agents and the dispatcher's ping need: replies through the target's direct exchange (key = reply queue), temporary reply queues, expiration.</summary>
public abstract partial class BrokerConformanceTests
{
    [Fact]
    public async Task ReplyThroughTargetExchange_ReachesOnlyAQueueBoundToThatTarget()
    {
        var target = "target-" + Guid.NewGuid().ToString("N");
        var bound = await DeclareAsync();
        var unbound = await DeclareAsync();
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(target, bound, Message("early"), Cancel));

        await Broker.BindReplyQueueAsync(bound, target, Cancel);
        await Broker.BindReplyQueueAsync(bound, target, Cancel);
        await Broker.PublishToExchangeAsync(target, bound, Message("reply") with { CorrelationId = "c-1" }, Cancel);

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(target, unbound, Message("stray"), Cancel));
        await Assert.ThrowsAsync<QueueNotFoundException>(
            () => Broker.PublishToExchangeAsync("other-" + Guid.NewGuid().ToString("N"), bound, Message("other"), Cancel));
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(bound, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var received = await inbox.NextAsync($"the reply published through exchange {target}");
        Assert.Equal(("reply", "c-1", target, bound), (Text(received), received.CorrelationId, received.Exchange, received.RoutingKey));
        await received.AckAsync(Cancel);
    }

    [Fact]
    public async Task BindReplyQueue_DeclaresADirectExchange_ThatQueuesOfOtherTargetsShare()
    {
        var target = "target-" + Guid.NewGuid().ToString("N");
        var first = await DeclareAsync();
        var second = await DeclareAsync();
        await Broker.BindReplyQueueAsync(first, target, Cancel);

        // The exchange is an ordinary direct one: declaring it again as such is accepted, and other bindings route too.
        await Broker.DeclareExchangeAsync(target, ExchangeKind.Direct, Cancel);
        await Broker.BindQueueAsync(second, target, "events-key", Cancel);
        await Broker.PublishToExchangeAsync(target, "events-key", Message("to second"), Cancel);
        await Broker.PublishToExchangeAsync(target, first, Message("to first"), Cancel);

        foreach (var (queue, expected) in new[] { (first, "to first"), (second, "to second") })
        {
            var inbox = new Inbox();
            await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
            var received = await inbox.NextAsync($"the one message routed by {target} to {queue}");
            Assert.Equal(expected, Text(received));
            await received.AckAsync(Cancel);
        }
    }

    [Fact]
    public async Task ReplyBinding_GoesWithTheQueue_AndARedeclaredQueueStartsUnbound()
    {
        var target = "target-" + Guid.NewGuid().ToString("N");
        var queue = await DeclareAsync();
        await Broker.BindReplyQueueAsync(queue, target, Cancel);

        await Broker.DeleteQueueAsync(queue, Cancel);
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(target, queue, Message("gone"), Cancel));

        await Broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(target, queue, Message("unbound"), Cancel));
        await Broker.BindReplyQueueAsync(queue, target, Cancel);
        await Broker.PublishToExchangeAsync(target, queue, Message("bound again"), Cancel);
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var received = await inbox.NextAsync($"the reply to the re-declared {queue}");
        Assert.Equal("bound again", Text(received));
        await received.AckAsync(Cancel);
    }

    [Fact]
    public async Task BindReplyQueue_Throws_WhenQueueIsNotDeclared()
    {
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.BindReplyQueueAsync(NewQueueName(), "target-x", Cancel));
    }

    [Fact]
    public async Task TemporaryQueue_DeliversReplies_AndGoesAwayWithItsConsumer()
    {
        var queue = NewQueueName();
        var target = "target-" + Guid.NewGuid().ToString("N");
        await Broker.DeclareTemporaryQueueAsync(queue, Cancel);
        await Broker.BindReplyQueueAsync(queue, target, Cancel);
        var inbox = new Inbox();
        var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        await Broker.PublishToExchangeAsync(target, queue, Message("pong"), Cancel);
        var received = await inbox.NextAsync("the reply on the temporary queue");
        await received.AckAsync(Cancel);
        Assert.Equal("pong", Text(received));

        await consumer.DisposeAsync();

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(queue, Message("late"), Cancel));
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishToExchangeAsync(target, queue, Message("late"), Cancel));
    }

    [Fact]
    public async Task ExpiredMessage_IsDeadLettered_InsteadOfDelivered()
    {
        var queue = await DeclareAsync();
        await Broker.PublishAsync(queue, Message("stale") with { Expiration = TimeSpan.Zero }, Cancel);
        await Broker.PublishAsync(queue, Message("fresh") with { Expiration = TimeSpan.FromMinutes(5) }, Cancel);

        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var dead = new Inbox();
        await using var deadConsumer = await Broker.ConsumeAsync(DeadLetter.QueueFor(queue), (m, _) => dead.Add(m), prefetch: 1, Cancel);

        var first = await inbox.NextAsync("the message that had not expired");
        Assert.Equal("fresh", Text(first));
        await first.AckAsync(Cancel);
        var expired = await dead.NextAsync("the expired message on the dead-letter queue");
        Assert.Equal("stale", Text(expired));
        await expired.AckAsync(Cancel);
    }

    [Fact]
    public async Task CloudifyNamedQueue_DeadLettersToItsOwnDeadLetterQueue()
    {
        var queue = await DeclareNamedAsync("agent-" + Guid.NewGuid().ToString("N") + "_operation");
        await Broker.PublishAsync(queue, Message("refused"), Cancel);
        var inbox = new Inbox();
        await using (await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel))
        {
            await (await inbox.NextAsync("the message to refuse")).NackAsync(requeue: false, Cancel);
        }

        var dead = new Inbox();
        await using var deadConsumer = await Broker.ConsumeAsync(DeadLetter.QueueFor(queue), (m, _) => dead.Add(m), prefetch: 1, Cancel);
        var got = await dead.NextAsync($"the refused message on {DeadLetter.QueueFor(queue)}");
        Assert.Equal("refused", Text(got));
        await got.AckAsync(Cancel);
    }

    [Fact]
    public async Task ServiceQueue_DropsARefusedPing_WithoutADeadLetterQueue()
    {
        var queue = await DeclareNamedAsync("agent-" + Guid.NewGuid().ToString("N") + "_service");
        await Broker.PublishAsync(queue, Message("refused"), Cancel);
        await Broker.PublishAsync(queue, Message("next"), Cancel);
        var inbox = new Inbox();
        await using (await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel))
        {
            await (await inbox.NextAsync("the ping to refuse")).NackAsync(requeue: false, Cancel);
            var next = await inbox.NextAsync("the ping after the refused one");
            Assert.Equal("next", Text(next));
            await next.AckAsync(Cancel);
        }

        await Assert.ThrowsAsync<QueueNotFoundException>(
            () => Broker.ConsumeAsync(DeadLetter.QueueFor(queue), (_, _) => Task.CompletedTask, prefetch: 1, Cancel));
    }
}
