using Microsoft.Extensions.DependencyInjection;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Standalone;

/// <summary>
/// The agent as its own process (<c>stratus agent start</c>): the operation consumer of
/// <see cref="AgentServiceCollectionExtensions.AddStratusAgent"/> on the host's broker, plus registration and
/// heartbeats to the managers in <see cref="AgentOptions.ManagerUrls"/> with <paramref name="credentials"/>, and (events
/// on the broker) the watch that tells it whether every manager reads batch messages.
/// The host supplies the broker (it must be one shared with the manager: RabbitMQ).
/// </summary>
public static class StandaloneAgent
{
    public static IServiceCollection AddStandaloneAgent(this IServiceCollection services, AgentCredentials credentials, Action<AgentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        services.AddStratusAgent(configure);
        services.AddOptions<AgentOptions>()
            .Validate(o => o.ManagerUrls.Count > 0, "A standalone agent needs at least one manager URL.")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero, "The heartbeat interval must be positive.")
            .Validate(o => o.EventWireCheckInterval > TimeSpan.Zero, "The event wire check interval must be positive.");
        services.AddSingleton(credentials);
        services.AddSingleton<AgentRestClient>();
        services.AddSingleton<AgentRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentRegistration>());
        services.AddHostedService<EventWireWatch>();
        return services;
    }

    /// <summary>
    /// Registers the agent with the manager (state <c>started</c>, first heartbeat); throws with the manager's answer
    /// when refused. With <see cref="AgentOptions.RequestBrokerUser"/>, returns the agent's own broker user.
    /// </summary>
    public static async Task<System.Net.NetworkCredential?> RegisterAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            return await services.GetRequiredService<AgentRegistration>().RegisterAsync(cancellationToken);
        }
        catch (ManagerApiException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }
}
