namespace Stratus.Client;

/// <summary>
/// Typed client for a Cloudify-compatible manager's REST API v3.1 (Stratus or Cloudify itself).
/// The caller owns the <see cref="HttpClient"/>; credentials and tenant are sent on every request.
/// </summary>
public sealed class StratusClient
{
    public StratusClient(HttpClient http, StratusClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var transport = new RestTransport(http, options);
        Manager = new ManagerClient(transport, http);
        Blueprints = new BlueprintsClient(transport);
        Plugins = new PluginsClient(transport);
        Secrets = new SecretsClient(transport);
        Deployments = new DeploymentsClient(transport);
        DeploymentGroups = new DeploymentGroupsClient(transport);
        DeploymentModifications = new DeploymentModificationsClient(transport);
        Nodes = new NodesClient(transport);
        NodeInstances = new NodeInstancesClient(transport);
        Agents = new AgentsClient(transport);
        Executions = new ExecutionsClient(transport);
        ExecutionSchedules = new ExecutionSchedulesClient(transport);
        Events = new EventsClient(transport);
        Identity = new IdentityClient(transport);
    }

    public StratusClientOptions Options { get; }

    public ManagerClient Manager { get; }

    public BlueprintsClient Blueprints { get; }

    public PluginsClient Plugins { get; }

    public SecretsClient Secrets { get; }

    public DeploymentsClient Deployments { get; }

    public DeploymentGroupsClient DeploymentGroups { get; }

    public DeploymentModificationsClient DeploymentModifications { get; }

    public ExecutionSchedulesClient ExecutionSchedules { get; }

    public NodesClient Nodes { get; }

    public NodeInstancesClient NodeInstances { get; }

    public AgentsClient Agents { get; }

    public ExecutionsClient Executions { get; }

    public EventsClient Events { get; }

    public IdentityClient Identity { get; }

    /// <summary>An HttpClient suited to a manager: the options' timeout, no cookies.</summary>
    public static HttpClient CreateHttpClient(StratusClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = options.Timeout };
    }
}
