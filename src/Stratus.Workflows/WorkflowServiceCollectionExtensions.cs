using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stratus.Workflows.Cluster;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Hosting;
using Stratus.Workflows.Queue;

namespace Stratus.Workflows;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>
    /// Adds the workflow engine: a hosted service consuming <c>cloudify.management_workflow</c> from the registered
    /// <c>IMessageBroker</c>, storing graphs, events and states through the registered <c>IStratusStore</c>, with time
    /// from the registered <see cref="TimeProvider"/> (the system clock when none is).
    /// </summary>
    public static IServiceCollection AddStratusWorkflows(this IServiceCollection services, Action<WorkflowOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<WorkflowOptions>().ValidateDataAnnotations().Validate(
            o => o.RetryInterval >= TimeSpan.Zero && o.WaitAfterFail >= TimeSpan.Zero && o.CancelPollInterval > TimeSpan.Zero,
            "WorkflowOptions: RetryInterval and WaitAfterFail must not be negative; CancelPollInterval must be positive.")
            .Validate(
                o => o.AgentHeartbeatTimeout > TimeSpan.Zero && o.AgentCheckInterval > TimeSpan.Zero,
                "WorkflowOptions: AgentHeartbeatTimeout and AgentCheckInterval must be positive.")
            .Validate(
                o => o.AgentPingTimeout >= TimeSpan.Zero && o.AgentPingCacheTime >= TimeSpan.Zero,
                "WorkflowOptions: AgentPingTimeout and AgentPingCacheTime must not be negative.")
            .ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddStratusExecutionQueue();
        services.TryAddSingleton<WorkflowEngine>();
        services.AddOptions<ExecutionLeaseOptions>().ValidateDataAnnotations().Validate(
            o => o.LeaseDuration >= TimeSpan.FromMilliseconds(300), "ExecutionLeaseOptions: LeaseDuration must be at least 300 ms.").ValidateOnStart();
        services.TryAddSingleton<ExecutionLeases>();
        services.AddHostedService<LeaseRenewalService>();
        services.AddHostedService<WorkflowHostedService>();
        return services;
    }

    /// <summary>
    /// Adds the <see cref="ExecutionQueue"/> (starts queued executions; the REST service calls it too, with or without
    /// the engine in the same process). Calling it again only adds configuration.
    /// </summary>
    public static IServiceCollection AddStratusExecutionQueue(this IServiceCollection services, Action<ExecutionQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ExecutionQueueOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton<ExecutionQueue>();
        return services;
    }
}
