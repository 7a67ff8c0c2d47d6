namespace Stratus.Messaging.RabbitMq;

/// <summary>How <see cref="RabbitMqBroker"/> reaches RabbitMQ and how long it waits for it.</summary>
public sealed class RabbitMqOptions
{
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

        return null;
    }
}
