using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stratus.Messaging.InProcess;

namespace Stratus.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Registers the in-process broker as the <see cref="IMessageBroker"/> unless one is registered already.</summary>
    public static IServiceCollection AddInProcessMessageBroker(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<InProcessBroker>();
        services.TryAddSingleton<IMessageBroker>(sp => sp.GetRequiredService<InProcessBroker>());
        return services;
    }
}
