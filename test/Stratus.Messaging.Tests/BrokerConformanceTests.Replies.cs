using Stratus.Messaging;

namespace Stratus.Messaging.Tests;

/// <summary>What agents and the dispatcher's ping need: replies through a target's exchange, temporary reply queues, expiration.</summary>
public abstract partial class BrokerConformanceTests
{
    [Fact]
    public async Task PublishVia_ReachesOnlyAQueueBoundToThatTarget()
    {
        var target = "target-" + Guid.NewGuid().ToString("N");
        var bound = await DeclareAsync();
        var unbound = await DeclareAsync();
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(bound, Message("early") with { Via = target }, Cancel));

        await Broker.BindReplyQueueAsync(bound, target, Cancel);
        await Broker.BindReplyQueueAsync(bound, target, Cancel);
        await Broker.PublishAsync(bound, Message("reply") with { Via = target, CorrelationId = "c-1" }, Cancel);

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(unbound, Message("stray") with { Via = target }, Cancel));
        await Assert.ThrowsAsync<QueueNotFoundException>(
            () => Broker.PublishAsync(bound, Message("other") with { Via = "other-" + Guid.NewGuid().ToString("N") }, Cancel));
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(bound, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var received = await inbox.NextAsync($"the reply published via {target}");
        Assert.Equal(("reply", "c-1"), (Text(received), received.CorrelationId));
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
        await Broker.PublishAsync(queue, Message("pong") with { Via = target }, Cancel);
        var received = await inbox.NextAsync("the reply on the temporary queue");
        await received.AckAsync(Cancel);
        Assert.Equal("pong", Text(received));

        await consumer.DisposeAsync();

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(queue, Message("late"), Cancel));
        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(queue, Message("late") with { Via = target }, Cancel));
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
