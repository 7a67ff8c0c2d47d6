using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Stratus.Messaging.InProcess;
using Stratus.Messaging.RabbitMq;

namespace Stratus.Messaging.Tests;

/// <summary>Configuration and mapping of the RabbitMQ transport that needs no server.</summary>
public sealed class RabbitMqOptionsTests
{
    [Theory]
    [InlineData("amqp://u:secret-pw@rabbit:5672/stratus", "amqp://rabbit:5672 vhost stratus")]
    [InlineData("amqps://u:secret-pw@rabbit/", "amqps://rabbit:5671 vhost /")]
    [InlineData("amqp://u:secret-pw@10.0.0.5:5673/%2F", "amqp://10.0.0.5:5673 vhost /")]
    public void Endpoint_NamesHostPortAndVhost_WithoutCredentials(string url, string expected)
    {
        var broker = new RabbitMqBroker(new RabbitMqOptions { Url = url });

        Assert.Equal(expected, broker.Endpoint);
        Assert.False(broker.IsConnected, "the broker connected before it was used");
    }

    [Theory]
    [InlineData("http://u:secret-pw@rabbit:5672/")]
    [InlineData("rabbit:5672")]
    [InlineData("")]
    public void Constructor_RefusesANonAmqpUrl_WithoutEchoingIt(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => new RabbitMqBroker(new RabbitMqOptions { Url = url }));

        Assert.Contains("amqp://user:password@host:port/vhost", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRabbitMqMessaging_ReplacesTheInProcessBroker()
    {
        var services = new ServiceCollection().AddInProcessMessageBroker();

        services.AddRabbitMqMessaging("amqp://u:p@rabbit:5672/stratus");
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<RabbitMqBroker>(provider.GetRequiredService<IMessageBroker>());
        Assert.IsType<InProcessBroker>(provider.GetRequiredService<InProcessBroker>());
    }

    [Fact]
    public void AddRabbitMqMessaging_FailsValidation_ForABadTimeout()
    {
        var services = new ServiceCollection()
            .AddRabbitMqMessaging("amqp://u:p@rabbit:5672/stratus", o => o.OperationTimeout = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(RabbitMqOptions.MaxTopologyChannels + 1)]
    public void Constructor_RefusesATopologyPoolSizeOutOfRange(int channels)
    {
        var options = new RabbitMqOptions { Url = "amqp://u:p@rabbit:5672/stratus", TopologyChannels = channels };

        var error = Assert.Throws<ArgumentException>(() => new RabbitMqBroker(options));

        Assert.Contains($"topology channels must be between 1 and {RabbitMqOptions.MaxTopologyChannels}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_RoundTripApplicationHeaders_AndHideTheTransportOnes()
    {
        var message = new OutgoingMessage
        {
            Body = "{}"u8.ToArray(),
            Headers = new Dictionary<string, string> { ["tenant"] = "default_tenant", ["traceparent"] = "00-abc-def-01" },
        };
        var sent = RabbitMqHeaders.ToProperties(message);
        var delivered = new BasicProperties
        {
            Headers = new Dictionary<string, object?>(sent.Headers!)
            {
                ["tenant"] = "default_tenant"u8.ToArray(), // strings come back from the wire as bytes
                [RabbitMqTopology.DeliveryCountHeader] = 2L,
                ["x-death"] = new List<object?>(),
                ["x-first-death-queue"] = "q"u8.ToArray(),
                ["x-dotnet-pub-seq-no"] = 7UL,
            },
        };

        Assert.True(sent.Persistent, "messages must be published with delivery_mode 2");
        Assert.Equal(
            new Dictionary<string, string> { ["tenant"] = "default_tenant", ["traceparent"] = "00-abc-def-01" },
            RabbitMqHeaders.FromProperties(delivered));
        Assert.Equal(3, RabbitMqHeaders.DeliveryCount(delivered));
        Assert.Equal(1, RabbitMqHeaders.DeliveryCount(new BasicProperties()));
    }

    [Theory]
    [InlineData(5, 4)]
    [InlineData(1, 0)]
    public void QueueArguments_MakeAQuorumQueue_ThatDeadLettersAfterMaxDeliveries(int maxDeliveries, int deliveryLimit)
    {
        var arguments = RabbitMqTopology.QueueArguments("q_operation", new QueueOptions { MaxDeliveries = maxDeliveries });

        Assert.Equal("quorum", arguments["x-queue-type"]);
        Assert.Equal(deliveryLimit, arguments["x-delivery-limit"]);
        // Through the queue's own exchange, so an agent limited to its exchange may declare it.
        Assert.Equal("q", arguments["x-dead-letter-exchange"]);
        Assert.Equal("q_operation.dead-letter", arguments["x-dead-letter-routing-key"]);
        Assert.Equal("", RabbitMqTopology.QueueArguments("execution_responses_1", QueueOptions.Default)["x-dead-letter-exchange"]);
        Assert.DoesNotContain("x-delivery-limit", RabbitMqTopology.QueueArguments("q_operation.dead-letter", QueueOptions.Default).Keys);
    }
}
