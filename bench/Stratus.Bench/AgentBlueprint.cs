using System.Globalization;

namespace Stratus.Bench;

/// <summary>
/// B12's blueprint: <c>host</c>, a <c>cloudify.nodes.Compute</c> with a <c>provided</c> agent and N instances (each
/// agent is named after its host instance), and <c>app</c> contained in it, whose one operation (create, a no-op
/// script the simulated agent never runs) goes to the host's agent.
/// </summary>
internal static class AgentBlueprint
{
    public const string HostNode = "host";
    public const string AppNode = "app";
    public const string AppOperation = "cloudify.interfaces.lifecycle.create";

    public static void Write(string folder, int hosts)
    {
        Directory.CreateDirectory(folder);
        var yaml = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            tosca_definitions_version: cloudify_dsl_1_4
            imports:
              - cloudify/types/types.yaml
            node_templates:
              {HostNode}:
                type: cloudify.nodes.Compute
                properties:
                  ip: 127.0.0.1
                  agent_config:
                    install_method: provided
                capabilities:
                  scalable:
                    properties:
                      default_instances: {hosts}
              {AppNode}:
                type: cloudify.nodes.Root
                relationships:
                  - type: cloudify.relationships.contained_in
                    target: {HostNode}
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create:
                      implementation: noop.sh
                      executor: host_agent

            """);
        File.WriteAllText(Path.Combine(folder, "blueprint.yaml"), yaml);
        File.WriteAllText(Path.Combine(folder, "noop.sh"), "#!/bin/sh\nexit 0\n");
    }
}
