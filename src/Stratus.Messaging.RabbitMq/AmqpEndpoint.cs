namespace Stratus.Messaging.RabbitMq;

/// <summary>Describes an AMQP URL for logs and errors: scheme, host, port and vhost, never the credentials.</summary>
internal static class AmqpEndpoint
{
    public static string Describe(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(unparsable AMQP URL)";
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        var vhost = uri.AbsolutePath.Length > 1 ? Uri.UnescapeDataString(uri.AbsolutePath[1..]) : "/";
        return $"{uri.Scheme}://{uri.Host}:{port} vhost {vhost}";
    }
}
