using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stratus.Messaging.RabbitMq;

public static class RabbitMqServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RabbitMqBroker"/> on <paramref name="amqpUrl"/> as the <see cref="IMessageBroker"/>,
    /// replacing the in-process broker if one was registered. The URL is validated when the host starts.
    /// </summary>
    public static IServiceCollection AddRabbitMqMessaging(
        this IServiceCollection services, string amqpUrl, Action<RabbitMqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(amqpUrl);
        services.AddOptions<RabbitMqOptions>()
            .Configure(o =>
            {
                o.Url = amqpUrl;
                configure?.Invoke(o);
            })
            .Validate(o => o.Validate() is null, "Invalid RabbitMQ options: the URL must be amqp://user:password@host:port/vhost, timeouts positive and topology channels between 1 and 64.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RabbitMqBroker(
            sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value,
            sp.GetService<ILogger<RabbitMqBroker>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IMessageBroker>(sp => sp.GetRequiredService<RabbitMqBroker>()));
        return services;
    }
}
