using System.Text;
using Microsoft.Extensions.Time.Testing;
using Stratus.Messaging.RabbitMq;

namespace Stratus.Messaging.Tests;

/// <summary>
/// What RabbitMQ adds to the conformance suite: surviving a dropped connection. The broker talks to the test node
/// through a <see cref="TcpProxy"/> so the test can cut the connection the way a network failure does.
/// </summary>
public sealed class RabbitMqRecoveryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DroppedConnection_IsRecovered_AndConsumerAndPublisherCarryOn()
    {
        var (url, password) = RequireRabbitMq();
        await using var proxy = TcpProxy.Start(url.Host, url.Port);
        var logger = new ListLogger<RabbitMqBroker>();
        await using var broker = new RabbitMqBroker(
            RabbitMqBrokerTests.Options(new UriBuilder(url) { Port = proxy.Port }.Uri.AbsoluteUri), logger);
        var queue = "recovery-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
        try
        {
            var inbox = new Inbox();
            await using var consumer = await broker.ConsumeAsync(
                queue,
                async (m, ct) =>
                {
                    await inbox.Add(m);
                    if (Text(m) != "held" || m.DeliveryCount > 1)
                    {
                        await m.AckAsync(ct);
                    }
                },
                prefetch: 2,
                Cancel);
            await broker.PublishAsync(queue, Message("before"), Cancel);
            Assert.Equal("before", Text(await inbox.NextAsync("'before', on the first connection")));
            await broker.PublishAsync(queue, Message("held"), Cancel);
            Assert.Equal(1, (await inbox.NextAsync("'held', left unacked when the connection drops")).DeliveryCount);

            var open = proxy.Open;
            Assert.True(proxy.DropConnections() > 0, $"no connection through the proxy to cut (accepted {proxy.Accepted}, open {open})");
            await broker.PublishAsync(queue, Message("after"), Cancel);

            // At least once: the ack of 'before' may still be on its way when the connection is cut and be lost with
            // it, so 'before' may come again, marked as a redelivery. What must come is 'after' and 'held' again.
            var next = new List<IncomingMessage>();
            while (!next.Any(m => Text(m) == "after") || !next.Any(m => Text(m) == "held"))
            {
                next.Add(await inbox.NextAsync($"'after' and a redelivered 'held' after the reconnection (so far: {string.Join(", ", next.Select(Text))})"));
            }

            Assert.Single(next, m => Text(m) == "after");
            Assert.Equal(2, next.Single(m => Text(m) == "held").DeliveryCount);
            Assert.All(next.Where(m => Text(m) == "before"), m => Assert.True(m.DeliveryCount > 1, "'before' came again as a first delivery"));
            await Await.Within(logger.WhenLoggedAsync("Lost the RabbitMQ connection"), "the lost connection to be logged");
            await Await.Within(logger.WhenLoggedAsync("Reconnected to RabbitMQ"), "the reconnection to be logged");
            Assert.True(broker.IsConnected, "the broker is not connected after the recovery");
            Assert.DoesNotContain(logger.Lines, l => l.Contains(password, StringComparison.Ordinal));
        }
        finally
        {
            await broker.DeleteQueueAsync(queue, Cancel);
        }
    }

    [Fact]
    public async Task ConnectionClosedByTheBroker_IsRecovered_AndConsumerAndPublisherCarryOn()
    {
        var (url, password) = RequireRabbitMq();
        TestServices.Require(RabbitMqCtl.UnavailableReason);
        var name = "stratus-forced-" + Guid.NewGuid().ToString("N");
        var options = RabbitMqBrokerTests.Options(url.AbsoluteUri);
        options.ConnectionName = name;
        var logger = new ListLogger<RabbitMqBroker>();
        await using var broker = new RabbitMqBroker(options, logger);
        var queue = "forced-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
        try
        {
            var inbox = new Inbox();
            await using var consumer = await broker.ConsumeAsync(
                queue,
                async (m, ct) =>
                {
                    await inbox.Add(m);
                    await m.AckAsync(ct);
                },
                prefetch: 1,
                Cancel);
            await broker.PublishAsync(queue, Message("before"), Cancel);
            Assert.Equal("before", Text(await inbox.NextAsync("'before', on the first connection")));

            await RabbitMqCtl.CloseConnectionAsync(name, Cancel);
            await Await.Within(logger.WhenLoggedAsync("Lost the RabbitMQ connection"), "the forced close to be noticed");
            await broker.PublishAsync(queue, Message("after"), Cancel);

            Assert.Equal("after", Text(await inbox.NextAsync("'after', once the consumer is registered again")));
            await Await.Within(logger.WhenLoggedAsync("Reconnected to RabbitMQ"), "the reconnection to be logged");
            Assert.DoesNotContain(logger.Lines, l => l.Contains(password, StringComparison.Ordinal));
        }
        finally
        {
            await broker.DeleteQueueAsync(queue, Cancel);
        }
    }

    [Fact]
    public async Task Publish_FailsWithATimeoutNamingTheBroker_WhenTheConnectionDoesNotComeBack()
    {
        var (url, password) = RequireRabbitMq();
        await using var proxy = TcpProxy.Start(url.Host, url.Port);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var options = RabbitMqBrokerTests.Options(new UriBuilder(url) { Port = proxy.Port }.Uri.AbsoluteUri);
        await using var broker = new RabbitMqBroker(options, timeProvider: time);
        var queue = "unreachable-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
        await broker.PublishAsync(queue, Message("delivered"), Cancel);

        proxy.StopListening();
        proxy.DropConnections();
        var publish = broker.PublishAsync(queue, Message("stranded"), Cancel);
        time.Advance(options.OperationTimeout + TimeSpan.FromSeconds(1));

        try
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => publish.WaitAsync(Inbox.Timeout, Cancel));
            Assert.Contains($"127.0.0.1:{proxy.Port} vhost", error.Message, StringComparison.Ordinal);
            Assert.Contains(queue, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await using var cleaner = new RabbitMqBroker(RabbitMqBrokerTests.Options(url.AbsoluteUri));
            await cleaner.DeleteQueueAsync(queue, Cancel);
        }
    }

    private static (Uri Url, string Password) RequireRabbitMq()
    {
        TestServices.Require(Services.RabbitMqUnavailableReason);
        var url = new Uri(Services.RabbitMqUrl!);
        return (url, Uri.UnescapeDataString(url.UserInfo.Split(':', 2)[1]));
    }

    private static OutgoingMessage Message(string text) => new() { Body = Encoding.UTF8.GetBytes(text) };

    private static string Text(IncomingMessage message) => Encoding.UTF8.GetString(message.Body.Span);
}
