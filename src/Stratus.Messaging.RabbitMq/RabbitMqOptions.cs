namespace Stratus.Messaging.RabbitMq;

/// <summary>How <see cref="RabbitMqBroker"/> reaches RabbitMQ and how long it waits for it.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The most <see cref="TopologyChannels"/> allowed: well under RabbitMQ's default channel_max (2,047 per connection).</summary>
    public const int MaxTopologyChannels = 64;

    /// <summary><c>amqp://user:password@host:port/vhost</c> (or <c>amqps://</c>); the password never reaches a log.</summary>
    public string Url { get; set; } = "";

    /// <summary>Shown by RabbitMQ as the connection's name.</summary>
    public string ConnectionName { get; set; } = "stratus";

    /// <summary>How long one call (a publish and its confirm, a declare, a consume) may take, waiting for a reconnection included.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between reconnection attempts after the connection drops.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Heartbeat asked of the server; a dead peer is noticed after about twice this.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Long-lived channels kept for topology calls (declare, bind, delete), hence how many of those run at once; a
    /// call beyond that waits for a free one.
    /// </summary>
    public int TopologyChannels { get; set; } = 4;

    /// <summary>Null when valid, otherwise what is wrong (without echoing the URL's password).</summary>
    public string? Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            return "the RabbitMQ URL must look like amqp://user:password@host:port/vhost";
        }

        if (OperationTimeout <= TimeSpan.Zero || RecoveryInterval <= TimeSpan.Zero || Heartbeat < TimeSpan.Zero)
        {
            return "RabbitMQ timeouts must be positive";
        }

        if (TopologyChannels is < 1 or > MaxTopologyChannels)
        {
            return $"RabbitMQ topology channels must be between 1 and {MaxTopologyChannels}";
        }

        return null;
    }
}
