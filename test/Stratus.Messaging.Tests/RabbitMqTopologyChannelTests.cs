using RabbitMQ.Client;
using Stratus.Messaging.RabbitMq;

namespace Stratus.Messaging.Tests;

/// <summary>
/// Topology calls (declare, bind, delete) run on a small pool of long-lived channels: bounded, replaced when RabbitMQ
/// closes one over a refused call, and carried over a reconnection. Channels are counted by the node itself.
/// </summary>
public sealed class RabbitMqTopologyChannelTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TopologyCalls_ShareAtMostThePoolsChannels_AndAWaitingCallerHonoursItsToken()
    {
        var url = RequireNode();
        await using var proxy = TcpProxy.Start(url.Host, url.Port);
        var name = "stratus-pool-" + Guid.NewGuid().ToString("N");
        await using var broker = new RabbitMqBroker(Options(new UriBuilder(url) { Port = proxy.Port }.Uri.AbsoluteUri, name, channels: 1));
        await broker.DeclareTemporaryQueueAsync(TemporaryName(), Cancel);

        proxy.Pause();
        var held = broker.DeclareTemporaryQueueAsync(TemporaryName(), Cancel);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var waiting = broker.DeclareTemporaryQueueAsync(TemporaryName(), giveUp.Token);
        Assert.False(held.IsCompleted, "a declare completed while the network was stalled");
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Await.Within(waiting, "the waiting declare to give up"));
        proxy.Resume();
        await Await.Within(held, "the stalled declare to complete once the network flows again");

        await Await.Within(
            Task.WhenAll(Enumerable.Range(0, 20).Select(_ => broker.DeclareTemporaryQueueAsync(TemporaryName(), Cancel))),
            "20 concurrent declares on one channel");

        Assert.Equal(1, await RabbitMqCtl.ChannelCountAsync(name, Cancel));
    }

    [Fact]
    public async Task RefusedCalls_ReachTheCallerAsBefore_AndTheirChannelIsReplaced()
    {
        var url = RequireNode();
        var name = "stratus-pool-" + Guid.NewGuid().ToString("N");
        await using var broker = new RabbitMqBroker(Options(url.AbsoluteUri, name, channels: 1));
        var exchange = "pool-x-" + Guid.NewGuid().ToString("N");
        var missing = "pool-missing-" + Guid.NewGuid().ToString("N");
        var queue = "pool-q-" + Guid.NewGuid().ToString("N");
        try
        {
            await broker.DeclareExchangeAsync(exchange, ExchangeKind.Direct, Cancel);
            // PRECONDITION_FAILED closes the only channel; every following call needs a new one.
            var other = await Assert.ThrowsAsync<InvalidOperationException>(
                () => broker.DeclareExchangeAsync(exchange, ExchangeKind.Fanout, Cancel));
            Assert.Contains(exchange, other.Message, StringComparison.Ordinal);
            await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
            // NOT_FOUND on the passive declare closes it too.
            var notFound = await Assert.ThrowsAsync<QueueNotFoundException>(() => broker.BindQueueAsync(queue, missing, "k", Cancel));
            Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);
            await broker.BindQueueAsync(queue, exchange, "k", Cancel);
            // Deleting a queue that has no dead-letter queue meets a NOT_FOUND the broker expects and swallows.
            var temporary = TemporaryName();
            await broker.DeclareTemporaryQueueAsync(temporary, Cancel);
            await broker.DeleteQueueAsync(temporary, Cancel);
            await broker.DeclareTemporaryQueueAsync(TemporaryName(), Cancel);

            Assert.Equal(1, await RabbitMqCtl.ChannelCountAsync(name, Cancel));
            // The binding made after the refusals routes (the publish is mandatory).
            await broker.PublishToExchangeAsync(exchange, "k", new OutgoingMessage { Body = "routed"u8.ToArray() }, Cancel);
        }
        finally
        {
            await broker.DeleteQueueAsync(queue, Cancel);
            await DeleteExchangeAsync(url, exchange);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConnectionClosedByTheBroker_TopologyCallsWorkAfterwards_OnAtMostThePoolsChannels(bool afterRecovery)
    {
        var url = RequireNode();
        var name = "stratus-pool-" + Guid.NewGuid().ToString("N");
        var logger = new ListLogger<RabbitMqBroker>();
        await using var broker = new RabbitMqBroker(Options(url.AbsoluteUri, name, channels: 2), logger);
        var target = "pool-t-" + Guid.NewGuid().ToString("N");
        var queue = target + "_operation";
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => broker.DeclareTemporaryQueueAsync(TemporaryName(), Cancel)));

            await RabbitMqCtl.CloseConnectionAsync(name, Cancel);
            await Await.Within(logger.WhenLoggedAsync("Lost the RabbitMQ connection"), "the forced close to be noticed");
            if (afterRecovery)
            {
                await Await.Within(logger.WhenLoggedAsync("Reconnected to RabbitMQ"), "the reconnection to be logged");
            }

            await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
            var reply = TemporaryName();
            await broker.DeclareTemporaryQueueAsync(reply, Cancel);
            await broker.BindReplyQueueAsync(reply, target, Cancel);
            await broker.DeleteQueueAsync(reply, Cancel);

            await Await.Within(logger.WhenLoggedAsync("Reconnected to RabbitMQ"), "the reconnection to be logged");
            var channels = await RabbitMqCtl.ChannelCountAsync(name, Cancel);
            Assert.True(channels is >= 1 and <= 2, $"the connection has {channels} channels after the reconnection; the pool holds 1 to 2");
        }
        finally
        {
            await broker.DeleteQueueAsync(queue, Cancel);
            await DeleteExchangeAsync(url, target);
        }
    }

    private static Uri RequireNode()
    {
        TestServices.Require(RabbitMqCtl.UnavailableReason);
        return new Uri(Services.RabbitMqUrl!);
    }

    private static RabbitMqOptions Options(string url, string connectionName, int channels)
    {
        var options = RabbitMqBrokerTests.Options(url);
        options.ConnectionName = connectionName;
        options.TopologyChannels = channels;
        return options;
    }

    private static string TemporaryName() => "pool-tmp-" + Guid.NewGuid().ToString("N");

    private static async Task DeleteExchangeAsync(Uri url, string exchange)
    {
        var factory = new ConnectionFactory { Uri = url };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        await channel.ExchangeDeleteAsync(exchange, ifUnused: false, cancellationToken: Cancel);
    }
}
