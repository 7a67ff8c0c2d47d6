using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Stratus.Messaging.RabbitMq;

/// <summary>Maps message headers between <see cref="OutgoingMessage"/>/<see cref="IncomingMessage"/> and AMQP tables.</summary>
internal static class RabbitMqHeaders
{
    public static BasicProperties ToProperties(OutgoingMessage message)
    {
        var properties = new BasicProperties
        {
            // delivery_mode=2, as Cloudify publishes: the message survives a broker restart.
            Persistent = true,
            ContentType = "application/json",
            CorrelationId = message.CorrelationId,
            ReplyTo = message.ReplyTo,
            MessageId = message.MessageId,
            Expiration = message.Expiration is { } expiration ? RabbitMqTopology.ExpirationText(expiration) : null,
        };
        if (message.Headers.Count > 0)
        {
            properties.Headers = message.Headers.ToDictionary(h => h.Key, object? (h) => h.Value, StringComparer.Ordinal);
        }

        return properties;
    }

    /// <summary>The application's headers, without those RabbitMQ or the client add on their own.</summary>
    public static Dictionary<string, string> FromProperties(IReadOnlyBasicProperties properties)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties.Headers is null)
        {
            return headers;
        }

        foreach (var (key, value) in properties.Headers)
        {
            if (IsTransportHeader(key) || value is null)
            {
                continue;
            }

            headers[key] = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }

        return headers;
    }

    /// <summary>1 on the first delivery: the quorum queue's <c>x-delivery-count</c> counts earlier deliveries.</summary>
    public static int DeliveryCount(IReadOnlyBasicProperties properties) =>
        properties.Headers is { } headers
        && headers.TryGetValue(RabbitMqTopology.DeliveryCountHeader, out var value)
        && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture) + 1
            : 1;

    private static bool IsTransportHeader(string key) =>
        key is RabbitMqTopology.DeliveryCountHeader or "x-death" or "x-dotnet-pub-seq-no"
        || key.StartsWith("x-first-death-", StringComparison.Ordinal)
        || key.StartsWith("x-last-death-", StringComparison.Ordinal);
}
