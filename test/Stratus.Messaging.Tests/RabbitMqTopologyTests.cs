using System.Text;
using RabbitMQ.Client;
using Stratus.Messaging.RabbitMq;

namespace Stratus.Messaging.Tests;

/// <summary>The RabbitMQ layout a Cloudify component expects, checked with the plain AMQP client.</summary>
public sealed class RabbitMqTopologyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("cloudify.management_workflow", "cloudify.management", "workflow")]
    [InlineData("cloudify.management_operation", "cloudify.management", "operation")]
    [InlineData("agent-1_service", "agent-1", "service")]
    [InlineData("execution_responses_0a1b", "", "execution_responses_0a1b")]
    [InlineData("cloudify.management_workflow.dead-letter", "", "cloudify.management_workflow.dead-letter")]
    [InlineData("_workflow", "", "_workflow")]
    public void RouteFor_FollowsCloudifyNaming_WhereItApplies(string queue, string exchange, string routingKey)
    {
        Assert.Equal((exchange, routingKey), RabbitMqTopology.RouteFor(queue));
    }

    [Fact]
    public async Task CloudifyNamedQueue_IsFedByItsDirectExchange_WithPersistentMessages()
    {
        TestServices.Require(Services.RabbitMqUnavailableReason);
        var target = "cfy-" + Guid.NewGuid().ToString("N");
        var queue = target + "_operation";
        await using var broker = new RabbitMqBroker(RabbitMqBrokerTests.Options(Services.RabbitMqUrl!));
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);
        var factory = new ConnectionFactory { Uri = new Uri(Services.RabbitMqUrl!) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        try
        {
            // As Cloudify's dispatcher sends a task: exchange = the target, routing key `operation`.
            await channel.BasicPublishAsync(target, "operation", mandatory: true, new BasicProperties(), "from-cloudify"u8.ToArray(), Cancel);
            var inbox = new Inbox();
            await using (await broker.ConsumeAsync(queue, (m, ct) => inbox.Add(m), prefetch: 1, Cancel))
            {
                var received = await inbox.NextAsync($"the message published to exchange {target} with key operation");
                Assert.Equal("from-cloudify", Encoding.UTF8.GetString(received.Body.Span));
                await received.AckAsync(Cancel);
            }

            await broker.PublishAsync(queue, new OutgoingMessage { Body = "from-stratus"u8.ToArray(), CorrelationId = "task-1" }, Cancel);
            var got = await channel.BasicGetAsync(queue, autoAck: true, Cancel);
            Assert.NotNull(got);
            Assert.Equal((target, "operation"), (got.Exchange, got.RoutingKey));
            Assert.True(got.BasicProperties.Persistent, "the message is not persistent (delivery_mode 2)");
            Assert.Equal("task-1", got.BasicProperties.CorrelationId);
        }
        finally
        {
            await broker.DeleteQueueAsync(queue, Cancel);
            await channel.ExchangeDeleteAsync(target, ifUnused: false, cancellationToken: Cancel);
        }
    }

    [Fact]
    public async Task ServiceQueue_IsClassicWithoutDeadLetterQueue_AndReplacesAQuorumOneLeftBehind()
    {
        TestServices.Require(Services.RabbitMqUnavailableReason);
        var target = "cfy-" + Guid.NewGuid().ToString("N");
        var queue = target + "_service";
        var factory = new ConnectionFactory { Uri = new Uri(Services.RabbitMqUrl!) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var broker = new RabbitMqBroker(RabbitMqBrokerTests.Options(Services.RabbitMqUrl!));
        try
        {
            // What an older Stratus declared: a quorum service queue holding a stale ping.
            await using (var old = await connection.CreateChannelAsync(cancellationToken: Cancel))
            {
                await old.QueueDeclareAsync(
                    queue, durable: true, exclusive: false, autoDelete: false,
                    new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: Cancel);
                await old.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(), "stale-ping"u8.ToArray(), Cancel);
            }

            await broker.DeclareQueueAsync(queue, QueueOptions.Default, Cancel);

            await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
            // Redeclaring with exactly the classic arguments is refused (PRECONDITION_FAILED) unless the queue is classic.
            var state = await channel.QueueDeclareAsync(
                queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-queue-type"] = "classic" }, cancellationToken: Cancel);
            Assert.Equal(0u, state.MessageCount);
            var deadLetter = await Assert.ThrowsAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(
                () => channel.QueueDeclarePassiveAsync(DeadLetter.QueueFor(queue), Cancel));
            Assert.Equal((ushort?)Constants.NotFound, deadLetter.ShutdownReason?.ReplyCode);

            await using var again = await connection.CreateChannelAsync(cancellationToken: Cancel);
            await again.BasicPublishAsync(target, "service", mandatory: true, new BasicProperties(), "ping"u8.ToArray(), Cancel);
            var got = await again.BasicGetAsync(queue, autoAck: true, Cancel);
            Assert.Equal("ping", Encoding.UTF8.GetString(Assert.IsType<BasicGetResult>(got).Body.Span));
        }
        finally
        {
            await broker.DeleteQueueAsync(queue, Cancel);
            await using var cleanup = await connection.CreateChannelAsync(cancellationToken: Cancel);
            await cleanup.ExchangeDeleteAsync(target, ifUnused: false, cancellationToken: Cancel);
        }
    }
}
