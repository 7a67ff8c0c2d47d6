using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;
using Stratus.Agent.Scripts;
using Stratus.Agent.Tasks;

namespace Stratus.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the operation agent: a hosted service that consumes <c>&lt;name&gt;_operation</c> from the registered
    /// <see cref="Stratus.Messaging.IMessageBroker"/> and runs script operations. It needs only a broker and the
    /// manager's REST endpoint (from each task's context), so it runs inside the manager or as its own process.
    /// </summary>
    public static IServiceCollection AddStratusAgent(this IServiceCollection services, Action<AgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Name), "Agent name is required.")
            .Validate(o => o.Parallelism >= 1, "Agent parallelism must be at least 1.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.WorkDirectory), "Agent work directory is required.")
            .Validate(o => o.LogFlushInterval > TimeSpan.Zero && o.DefaultOperationTimeout > TimeSpan.Zero, "Agent intervals must be positive.")
            .Validate(o => o.OutputDrainTimeout >= TimeSpan.Zero, "Agent output drain timeout cannot be negative.")
            .Validate(
                o => o.Remote.ConnectTimeout > TimeSpan.Zero && o.Remote.StopTimeout > TimeSpan.Zero && o.Remote.CommandTimeout > TimeSpan.Zero,
                "Remote install timeouts must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpManagerApiFactory.HttpClientName)
            .RedactLoggedHeaders([HttpManagerApi.ExecutionTokenHeader, "Authentication-Token", "Authorization"]);
        services.TryAddSingleton<ManagerFailover>();
        services.TryAddSingleton<EventWire>();
        services.TryAddSingleton<BrokerEventPublisher>();
        services.TryAddSingleton<IManagerApiFactory, HttpManagerApiFactory>();
        services.TryAddSingleton<Installer.Remote.AgentPackage>();
        services.TryAddSingleton<Installer.Remote.RemoteInstaller>();
        services.TryAddSingleton<Installer.AgentInstaller>();
        services.TryAddSingleton<Ctx.CtxProxyServer>();
        services.TryAddSingleton<ScriptRunner>();
        services.TryAddSingleton<AttemptMemory>();
        services.TryAddSingleton<OperationClaimer>();
        services.TryAddSingleton<ExecutionKills>();
        services.TryAddSingleton<TaskProcessor>();
        services.AddHostedService<AgentService>();
        return services;
    }
}
