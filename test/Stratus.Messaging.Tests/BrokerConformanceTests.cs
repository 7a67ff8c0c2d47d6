using System.Text;
using Stratus.Messaging;

namespace Stratus.Messaging.Tests;

/// <summary>
/// The rules every <see cref="IMessageBroker"/> must keep. One derived class per transport supplies the broker;
/// each test uses its own queue names so transports with a shared server can run them side by side. A transport
/// whose server is not provisioned skips every test (fails them on CI, see <see cref="Services"/>).
/// </summary>
public abstract partial class BrokerConformanceTests : IAsyncLifetime
{
    private readonly List<string> _declared = [];
    private readonly List<string> _declaredExchanges = [];
    private IMessageBroker? _broker;

    protected IMessageBroker Broker
    {
        get
        {
            TestServices.Require(UnavailableReason);
            return _broker ?? throw new InvalidOperationException("The broker is not created yet.");
        }
    }

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Why the transport cannot run here (e.g. no RabbitMQ provisioned); null when it can.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>The queues this test declared through <see cref="DeclareAsync"/>, for transports that clean up.</summary>
    protected IReadOnlyList<string> DeclaredQueues => _declared;

    /// <summary>The exchanges this test declared through <see cref="DeclareExchangeAsync"/>.</summary>
    protected IReadOnlyList<string> DeclaredExchanges => _declaredExchanges;

    public async ValueTask InitializeAsync()
    {
        if (UnavailableReason is null)
        {
            _broker = await CreateBrokerAsync();
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract Task<IMessageBroker> CreateBrokerAsync();

    [Fact]
    public async Task Publish_Throws_WhenQueueIsNotDeclared()
    {
        var queue = NewQueueName();

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(queue, Message("lost"), Cancel));
    }

    [Fact]
    public async Task Consume_Throws_WhenQueueIsNotDeclared()
    {
        var queue = NewQueueName();

        await Assert.ThrowsAsync<QueueNotFoundException>(
            () => Broker.ConsumeAsync(queue, (_, _) => Task.CompletedTask, prefetch: 1, Cancel));
    }

    [Fact]
    public async Task Publish_DeliversBodyAndProperties_ToConsumer()
    {
        var queue = await DeclareAsync();
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);

        await Broker.PublishAsync(
            queue,
            new OutgoingMessage
            {
                Body = Encoding.UTF8.GetBytes("hello"),
                CorrelationId = "corr-1",
                ReplyTo = "replies",
                MessageId = "msg-1",
                Headers = new Dictionary<string, string> { ["tenant"] = "default_tenant" },
            },
            Cancel);

        var received = await inbox.NextAsync("the published message");
        Assert.Equal("hello", Text(received));
        Assert.Equal("corr-1", received.CorrelationId);
        Assert.Equal("replies", received.ReplyTo);
        Assert.Equal("msg-1", received.MessageId);
        Assert.Equal("default_tenant", received.Headers["tenant"]);
        Assert.Equal(1, received.DeliveryCount);
        await received.AckAsync(Cancel);
    }

    [Fact]
    public async Task Publish_KeepsItsOwnCopyOfTheBody_WhenThePublisherReusesItsBuffer()
    {
        var queue = await DeclareAsync();
        var buffer = Encoding.UTF8.GetBytes("original");
        await Broker.PublishAsync(queue, new OutgoingMessage { Body = buffer }, Cancel);
        Encoding.UTF8.GetBytes("modified").CopyTo(buffer, 0);

        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);

        Assert.Equal("original", Text(await inbox.NextAsync("the message as it was published")));
    }

    [Fact]
    public async Task Publish_KeepsMessage_UntilAConsumerArrives()
    {
        var queue = await DeclareAsync();
        await Broker.PublishAsync(queue, Message("early"), Cancel);
        await Broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);

        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);

        Assert.Equal("early", Text(await inbox.NextAsync("the message published before anyone consumed")));
    }

    [Fact]
    public async Task Consume_DeliversInPublishOrder_ForOneConsumer()
    {
        var queue = await DeclareAsync();
        for (var i = 1; i <= 3; i++)
        {
            await Broker.PublishAsync(queue, Message($"m{i}"), Cancel);
        }

        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(
            queue,
            async (m, ct) =>
            {
                await inbox.Add(m);
                await m.AckAsync(ct);
            },
            prefetch: 1,
            Cancel);

        Assert.Equal("m1", Text(await inbox.NextAsync("m1")));
        Assert.Equal("m2", Text(await inbox.NextAsync("m2")));
        Assert.Equal("m3", Text(await inbox.NextAsync("m3")));
    }

    [Fact]
    public async Task Prefetch_HoldsBackFurtherMessages_WhileConsumerHasUnackedOnes()
    {
        var queue = await DeclareAsync();
        var busy = new Inbox();
        await using var busyConsumer = await Broker.ConsumeAsync(queue, (m, _) => busy.Add(m), prefetch: 2, Cancel);
        for (var i = 1; i <= 3; i++)
        {
            await Broker.PublishAsync(queue, Message($"m{i}"), Cancel);
        }

        var first = await busy.NextAsync("m1 to the prefetch-2 consumer");
        var second = await busy.NextAsync("m2 to the prefetch-2 consumer");

        // The third message must still be in the queue: a consumer that arrives now gets it.
        var idle = new Inbox();
        await using var idleConsumer = await Broker.ConsumeAsync(queue, (m, _) => idle.Add(m), prefetch: 1, Cancel);
        var third = await idle.NextAsync("m3 to the second consumer, because the first is at its prefetch limit");

        Assert.Equal(["m1", "m2"], new[] { Text(first), Text(second) }.Order());
        Assert.Equal("m3", Text(third));
        Assert.Equal(2, busy.Count);
    }

    [Fact]
    public async Task Prefetch_RunsHandlersConcurrently_UpToTheLimit()
    {
        var queue = await DeclareAsync();
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        await using var consumer = await Broker.ConsumeAsync(
            queue,
            async (m, ct) =>
            {
                if (Interlocked.Increment(ref started) == 2)
                {
                    bothStarted.TrySetResult();
                }

                await release.Task.WaitAsync(ct);
                await m.AckAsync(ct);
            },
            prefetch: 2,
            Cancel);

        await Broker.PublishAsync(queue, Message("a"), Cancel);
        await Broker.PublishAsync(queue, Message("b"), Cancel);

        await Await.Within(bothStarted.Task, "two handlers running at once on a prefetch-2 consumer");
        release.SetResult();
    }

    [Fact]
    public async Task Ack_RemovesMessage_SoANewConsumerDoesNotSeeItAgain()
    {
        var queue = await DeclareAsync();
        var inbox = new Inbox();
        var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        await Broker.PublishAsync(queue, Message("acked"), Cancel);
        await (await inbox.NextAsync("the message to ack")).AckAsync(Cancel);
        await consumer.DisposeAsync();

        await Broker.PublishAsync(queue, Message("marker"), Cancel);
        var later = new Inbox();
        await using var laterConsumer = await Broker.ConsumeAsync(queue, (m, _) => later.Add(m), prefetch: 1, Cancel);

        Assert.Equal("marker", Text(await later.NextAsync("the marker (the acked message must not come back)")));
    }

    [Fact]
    public async Task NackWithRequeue_RedeliversMessage_WithDeliveryCountIncremented()
    {
        var queue = await DeclareAsync();
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        await Broker.PublishAsync(queue, Message("again", messageId: "op-1"), Cancel);

        var first = await inbox.NextAsync("the first delivery");
        await first.NackAsync(requeue: true, Cancel);
        var second = await inbox.NextAsync("the redelivery after nack(requeue)");

        Assert.Equal((1, 2), (first.DeliveryCount, second.DeliveryCount));
        Assert.Equal("again", Text(second));
        Assert.Equal("op-1", second.MessageId);
        await second.AckAsync(Cancel);
    }

    [Fact]
    public async Task NackWithoutRequeue_MovesMessage_ToDeadLetterQueue()
    {
        var queue = await DeclareAsync();
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var dead = new Inbox();
        await using var deadConsumer = await Broker.ConsumeAsync(
            DeadLetter.QueueFor(queue), (m, _) => dead.Add(m), prefetch: 1, Cancel);
        await Broker.PublishAsync(queue, Message("poison", messageId: "op-2"), Cancel);

        await (await inbox.NextAsync("the poison message")).NackAsync(requeue: false, Cancel);

        var deadLettered = await dead.NextAsync($"the rejected message on {DeadLetter.QueueFor(queue)}");
        Assert.Equal("poison", Text(deadLettered));
        Assert.Equal("op-2", deadLettered.MessageId);
        Assert.Equal(1, deadLettered.DeliveryCount);
        Assert.Equal(1, inbox.Count);
    }

    [Fact]
    public async Task Redelivery_StopsAfterMaxDeliveries_AndMessageIsDeadLettered()
    {
        var queue = await DeclareAsync(new QueueOptions { MaxDeliveries = 3 });
        var counts = new List<int>();
        await using var consumer = await Broker.ConsumeAsync(
            queue,
            async (m, ct) =>
            {
                lock (counts)
                {
                    counts.Add(m.DeliveryCount);
                }

                await m.NackAsync(requeue: true, ct);
            },
            prefetch: 1,
            Cancel);
        var dead = new Inbox();
        await using var deadConsumer = await Broker.ConsumeAsync(
            DeadLetter.QueueFor(queue), (m, _) => dead.Add(m), prefetch: 1, Cancel);

        await Broker.PublishAsync(queue, Message("always-fails"), Cancel);

        var deadLettered = await dead.NextAsync("the message dead-lettered after 3 deliveries");
        Assert.Equal("always-fails", Text(deadLettered));
        Assert.Equal(1, deadLettered.DeliveryCount);
        lock (counts)
        {
            Assert.Equal([1, 2, 3], counts);
        }
    }

    [Fact]
    public async Task NackWithRequeue_DeadLettersAtOnce_WhenMaxDeliveriesIsOne()
    {
        var queue = await DeclareAsync(new QueueOptions { MaxDeliveries = 1 });
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        var dead = new Inbox();
        await using var deadConsumer = await Broker.ConsumeAsync(
            DeadLetter.QueueFor(queue), (m, _) => dead.Add(m), prefetch: 1, Cancel);
        await Broker.PublishAsync(queue, Message("once"), Cancel);

        await (await inbox.NextAsync("the only delivery")).NackAsync(requeue: true, Cancel);

        Assert.Equal("once", Text(await dead.NextAsync("the message dead-lettered after its single delivery")));
        Assert.Equal(1, inbox.Count);
    }

    [Fact]
    public async Task HandlerThatThrows_CountsAsNackWithRequeue()
    {
        var queue = await DeclareAsync();
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(
            queue,
            async (m, ct) =>
            {
                await inbox.Add(m);
                if (m.DeliveryCount == 1)
                {
                    throw new InvalidOperationException("handler bug");
                }

                await m.AckAsync(ct);
            },
            prefetch: 1,
            Cancel);

        await Broker.PublishAsync(queue, Message("flaky"), Cancel);

        Assert.Equal(1, (await inbox.NextAsync("the first delivery")).DeliveryCount);
        Assert.Equal(2, (await inbox.NextAsync("the redelivery after the handler threw")).DeliveryCount);
    }

    [Fact]
    public async Task DisposedConsumer_UnackedMessage_IsRedeliveredToAnotherConsumer()
    {
        var queue = await DeclareAsync();
        var first = new Inbox();
        var firstConsumer = await Broker.ConsumeAsync(queue, (m, _) => first.Add(m), prefetch: 1, Cancel);
        await Broker.PublishAsync(queue, Message("orphan"), Cancel);
        await first.NextAsync("the delivery to the consumer that goes away");
        var second = new Inbox();
        await using var secondConsumer = await Broker.ConsumeAsync(queue, (m, _) => second.Add(m), prefetch: 1, Cancel);

        await firstConsumer.DisposeAsync();

        var redelivered = await second.NextAsync("the orphaned message on the surviving consumer");
        Assert.Equal("orphan", Text(redelivered));
        Assert.Equal(2, redelivered.DeliveryCount);
    }

    [Fact]
    public async Task DisposedConsumer_UnackedMessages_AreRedeliveredToALaterConsumerInOrder()
    {
        var queue = await DeclareAsync();
        var first = new Inbox();
        var firstConsumer = await Broker.ConsumeAsync(queue, (m, _) => first.Add(m), prefetch: 5, Cancel);
        await Broker.PublishAsync(queue, Message("m1"), Cancel);
        await Broker.PublishAsync(queue, Message("m2"), Cancel);
        await first.NextAsync("m1");
        await first.NextAsync("m2");

        await firstConsumer.DisposeAsync();
        var later = new Inbox();
        await using var laterConsumer = await Broker.ConsumeAsync(
            queue,
            async (m, ct) =>
            {
                await later.Add(m);
                await m.AckAsync(ct);
            },
            prefetch: 1,
            Cancel);

        Assert.Equal("m1", Text(await later.NextAsync("m1 redelivered to the later consumer")));
        Assert.Equal("m2", Text(await later.NextAsync("m2 redelivered to the later consumer")));
    }

    [Fact]
    public async Task CompetingConsumers_ShareMessages_RoundRobin()
    {
        var queue = await DeclareAsync();
        var left = new Inbox();
        var right = new Inbox();
        var all = new Inbox();
        await using var leftConsumer = await Broker.ConsumeAsync(
            queue, async (m, _) => { await left.Add(m); await all.Add(m); }, prefetch: 10, Cancel);
        await using var rightConsumer = await Broker.ConsumeAsync(
            queue, async (m, _) => { await right.Add(m); await all.Add(m); }, prefetch: 10, Cancel);

        for (var i = 1; i <= 4; i++)
        {
            await Broker.PublishAsync(queue, Message($"m{i}"), Cancel);
        }

        for (var i = 1; i <= 4; i++)
        {
            await all.NextAsync($"delivery {i} of 4");
        }

        Assert.Equal((2, 2), (left.Count, right.Count));
    }

    [Fact]
    public async Task DisposingConsumer_CancelsTheHandlersToken()
    {
        var queue = await DeclareAsync();
        var handlerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = await Broker.ConsumeAsync(
            queue,
            async (_, ct) =>
            {
                using var registration = ct.Register(() => handlerCancelled.TrySetResult());
                handlerStarted.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct); // parked until the broker cancels it
            },
            prefetch: 1,
            Cancel);
        await Broker.PublishAsync(queue, Message("long-running"), Cancel);
        await Await.Within(handlerStarted.Task, "the handler to start");

        await Await.Within(consumer.DisposeAsync().AsTask(), "the consumer to stop once its handler is cancelled");

        Assert.True(handlerCancelled.Task.IsCompleted, "the handler's token was not cancelled by DisposeAsync");
    }

    [Fact]
    public async Task CancelledToken_IsHonoured_ByPublishAndConsume()
    {
        var queue = await DeclareAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Broker.PublishAsync(queue, Message("x"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Broker.ConsumeAsync(queue, (_, _) => Task.CompletedTask, prefetch: 1, cancelled.Token));
    }

    [Fact]
    public async Task DeleteQueue_DropsMessages_AndLaterPublishesFail()
    {
        var queue = await DeclareAsync();
        await Broker.PublishAsync(queue, Message("dropped"), Cancel);

        await Broker.DeleteQueueAsync(queue, Cancel);
        await Broker.DeleteQueueAsync(queue, Cancel);

        await Assert.ThrowsAsync<QueueNotFoundException>(() => Broker.PublishAsync(queue, Message("late"), Cancel));
        await Broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
        await Broker.PublishAsync(queue, Message("fresh"), Cancel);
        var inbox = new Inbox();
        await using var consumer = await Broker.ConsumeAsync(queue, (m, _) => inbox.Add(m), prefetch: 1, Cancel);
        Assert.Equal("fresh", Text(await inbox.NextAsync("only the message published after re-declaring")));
    }

    [Fact]
    public async Task DisposeBroker_StopsRunningHandlers_AndRejectsFurtherUse()
    {
        var queue = await DeclareAsync();
        var handlerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Broker.ConsumeAsync(
            queue,
            async (_, ct) =>
            {
                handlerStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct); // parked until the broker cancels it
                }
                finally
                {
                    handlerStopped.TrySetResult();
                }
            },
            prefetch: 1,
            Cancel);
        await Broker.PublishAsync(queue, Message("in-flight"), Cancel);
        await Await.Within(handlerStarted.Task, "the handler to start");

        await Await.Within(Broker.DisposeAsync().AsTask(), "the broker to dispose");

        Assert.True(handlerStopped.Task.IsCompleted, "the running handler was still running after DisposeAsync");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Broker.PublishAsync(queue, Message("x"), Cancel));
    }

    [Fact]
    public async Task ManyMessages_WithCompetingConsumersNacksAndAConsumerLeaving_AreAllAcked()
    {
        const int total = 300;
        var queue = await DeclareAsync(new QueueOptions { MaxDeliveries = 10 });
        var acked = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var allAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Handle(IncomingMessage m, CancellationToken ct)
        {
            var text = Text(m);
            if (m.DeliveryCount == 1 && text.EndsWith('3'))
            {
                await m.NackAsync(requeue: true, ct);
                return;
            }

            await m.AckAsync(ct);
            acked.AddOrUpdate(text, 1, (_, n) => n + 1);
            if (acked.Count >= total / 2)
            {
                halfway.TrySetResult();
            }

            if (acked.Count == total)
            {
                allAcked.TrySetResult();
            }
        }

        var leaving = await Broker.ConsumeAsync(queue, Handle, prefetch: 4, Cancel);
        await using var stayingA = await Broker.ConsumeAsync(queue, Handle, prefetch: 4, Cancel);
        await using var stayingB = await Broker.ConsumeAsync(queue, Handle, prefetch: 1, Cancel);
        for (var i = 0; i < total; i++)
        {
            await Broker.PublishAsync(queue, Message($"m{i}"), Cancel);
        }

        await Await.Within(halfway.Task, $"half of {total} messages acked");
        await leaving.DisposeAsync();
        await Await.Within(allAcked.Task, $"all {total} messages acked after one consumer left (acked {acked.Count})");

        // At-least-once: a transport may deliver a message twice, but none may go missing.
        Assert.Equal(total, acked.Keys.Count(k => k.StartsWith('m')));
    }

    protected static OutgoingMessage Message(string text, string? messageId = null) =>
        new() { Body = Encoding.UTF8.GetBytes(text), MessageId = messageId };

    protected static string Text(IncomingMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    protected static string NewQueueName() => "conformance-" + Guid.NewGuid().ToString("N");

    protected Task<string> DeclareAsync(QueueOptions? options = null) => DeclareNamedAsync(NewQueueName(), options);

    protected async Task<string> DeclareNamedAsync(string queue, QueueOptions? options = null)
    {
        var broker = Broker;
        _declared.Add(queue);
        await broker.DeclareQueueAsync(queue, options ?? QueueOptions.Default, Cancel);
        return queue;
    }
}
