using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's host steps for a <c>cloudify.nodes.Compute</c> instance whose agent is not <c>none</c>: after start,
/// "Creating agent", <c>cloudify_agent.create</c>, "Agent created"; before stop, "Stopping agent", the agent's stop
/// (<c>stop_amqp</c> on the agent itself for script-installed agents such as <c>provided</c>), "Deleting agent",
/// <c>cloudify_agent.delete</c>, "Agent deleted". The create and delete operations receive
/// <c>cloudify_agent: {name, install_method, wait_timeout}</c>; the agent is named after the instance unless the
/// node says otherwise (<see cref="AgentName"/>).
/// </summary>
internal static class AgentSteps
{
    public const string ComputeType = "cloudify.nodes.Compute";
    private const string Interface = "cloudify.interfaces.cloudify_agent.";

    /// <summary>Agent/Installer/Remote/RemoteInstaller.HostPropertiesKwarg (the engine does not reference the agent).</summary>
    public const string HostPropertiesKwarg = "stratus_host_properties";

    public static bool IsHost(Node node) => node.TypeHierarchy.Contains(ComputeType);

    /// <summary>Cloudify's <c>get_install_method</c>: the legacy <c>install_agent</c> wins when it is a boolean.</summary>
    public static string InstallMethod(JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (properties["install_agent"] is JsonValue legacy && legacy.TryGetValue(out bool install))
        {
            return install ? "remote" : "none";
        }

        return (properties["agent_config"] as JsonObject)?["install_method"] is JsonValue m && m.TryGetValue(out string? method) && method.Length > 0
            ? method
            : (properties["cloudify_agent"] as JsonObject)?["install_method"] is JsonValue c && c.TryGetValue(out string? legacyMethod) && legacyMethod.Length > 0
                ? legacyMethod
                : "remote";
    }

    /// <summary>
    /// Cloudify's order: <c>agent_config.service_name</c>, then <c>agent_config.name</c> (a custom AgentConfig type),
    /// then the deprecated <c>cloudify_agent.name</c>; else the host instance's id.
    /// </summary>
    public static string AgentName(Node node, NodeInstance instance)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var (property, key) in new[] { ("agent_config", "service_name"), ("agent_config", "name"), ("cloudify_agent", "name") })
        {
            if ((node.Properties[property] as JsonObject)?[key] is JsonValue n && n.TryGetValue(out string? name) && name.Length > 0)
            {
                return name;
            }
        }

        return instance.Id;
    }

    public static List<IReadOnlyList<GraphTask>> PostStart(
        GraphBuilder builder, OperationTaskFactory factory, Node node, NodeInstance instance, GraphTask subgraph)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (!IsHost(node) || InstallMethod(node.Properties) == "none")
        {
            return [];
        }

        var create = Op(factory, builder, subgraph, node, instance, "create");
        return create is null
            ? []
            : [[builder.NodeEvent(subgraph, instance.Id, "Creating agent")], [create], [builder.NodeEvent(subgraph, instance.Id, "Agent created")]];
    }

    public static List<IReadOnlyList<GraphTask>> PreStop(
        GraphBuilder builder, OperationTaskFactory factory, Node node, NodeInstance instance, GraphTask subgraph)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var method = IsHost(node) ? InstallMethod(node.Properties) : "none";
        if (method == "none")
        {
            return [];
        }

        var id = instance.Id;
        // Script-installed agents (provided, init_script, plugin) stop themselves; others are stopped from the manager.
        var stop = Op(factory, builder, subgraph, node, instance, method is "provided" or "init_script" or "plugin" ? "stop_amqp" : "stop");
        var delete = Op(factory, builder, subgraph, node, instance, "delete");
        List<IReadOnlyList<GraphTask>> steps = [[builder.NodeEvent(subgraph, id, "Stopping agent")]];
        if (stop is not null)
        {
            steps.Add([stop]);
        }

        steps.Add([builder.NodeEvent(subgraph, id, "Deleting agent")]);
        if (delete is not null)
        {
            steps.Add([delete]);
        }

        steps.Add([builder.NodeEvent(subgraph, id, "Agent deleted")]);
        return steps;
    }

    private static GraphTask? Op(OperationTaskFactory factory, GraphBuilder builder, GraphTask subgraph, Node node, NodeInstance instance, string name)
    {
        var agent = new JsonObject
        {
            ["name"] = AgentName(node, instance),
            ["install_method"] = InstallMethod(node.Properties),
        };
        if ((node.Properties["agent_config"] as JsonObject)?["extra"] is JsonObject extra && extra["wait_timeout"] is JsonValue timeout)
        {
            agent["wait_timeout"] = timeout.DeepClone();
        }

        var kwargs = new JsonObject { ["cloudify_agent"] = agent };
        if (agent["install_method"]?.GetValue<string>() == "remote")
        {
            // The remote installer (Agent/Installer/Remote) reads how to reach the host from these node properties;
            // they are stored as written and evaluated at dispatch, so a get_secret key or password never lands in the graph.
            var host = new JsonObject();
            foreach (var key in (string[])["agent_config", "cloudify_agent", "ip", "password"])
            {
                if (node.Properties[key] is { } value)
                {
                    host[key] = value.DeepClone();
                }
            }

            kwargs[HostPropertiesKwarg] = host;
        }

        return factory.Create(builder, subgraph, instance, node, Interface + name, node.Operations, extraKwargs: kwargs, allowKwargsOverride: true);
    }
}
