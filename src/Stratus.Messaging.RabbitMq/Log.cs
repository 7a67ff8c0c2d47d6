using Microsoft.Extensions.Logging;

namespace Stratus.Messaging.RabbitMq;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Connected to RabbitMQ at {Endpoint}")]
    public static partial void Connected(ILogger logger, string endpoint);

    [LoggerMessage(2, LogLevel.Warning, "Lost the RabbitMQ connection to {Endpoint} ({Reason}); reconnecting")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(3, LogLevel.Information, "Reconnected to RabbitMQ at {Endpoint}; queues, bindings and consumers restored")]
    public static partial void Recovered(ILogger logger, string endpoint);

    [LoggerMessage(4, LogLevel.Warning, "Reconnecting to RabbitMQ at {Endpoint} failed: {Reason}")]
    public static partial void RecoveryFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(5, LogLevel.Debug, "RabbitMQ call on {Queue} waits for the connection: {Reason}")]
    public static partial void WaitingForConnection(ILogger logger, string queue, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Could not settle a delivery from {Queue} ({Reason}); RabbitMQ will redeliver it")]
    public static partial void SettleLost(ILogger logger, string queue, string reason);

    [LoggerMessage(7, LogLevel.Information, "RabbitMQ cancelled the consumer of {Queue} (queue deleted)")]
    public static partial void ConsumerCancelledByBroker(ILogger logger, string queue);
}
