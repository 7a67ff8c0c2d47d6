using System.Globalization;
using System.Text;

namespace Stratus.Bench;

/// <summary>
/// B13's generated blueprints: custom node types with typed properties and script operations, inputs read through
/// get_input and concat, contained_in and depends_on relationships, outputs with get_attribute. With
/// <c>hosts</c> &gt; 0 the first templates are hosts and every other template sits on one of them (one instance
/// each); with no hosts every template has <c>instances</c> instances and depends on the previous one all_to_one.
/// </summary>
internal static class LargeBlueprint
{
    public static string Write(string folder, int templates, int instances, int hosts)
    {
        Directory.CreateDirectory(Path.Combine(folder, "scripts"));
        foreach (var script in new[] { "create.sh", "configure.sh", "start.sh" })
        {
            File.WriteAllText(Path.Combine(folder, "scripts", script), "#!/bin/bash\nexit 0\n");
        }

        var inv = CultureInfo.InvariantCulture;
        var yaml = new StringBuilder();
        yaml.Append("""
            tosca_definitions_version: cloudify_dsl_1_4
            imports:
              - cloudify/types/types.yaml
            inputs:
              port: {type: integer, default: 8080}
              env: {type: string, default: bench}
              settings: {type: dict, default: {retries: 3, verbose: false}}
            node_types:
              b13.Host:
                derived_from: cloudify.nodes.Compute
                properties:
                  zone: {type: string, default: zone-a}
              b13.App:
                derived_from: cloudify.nodes.SoftwareComponent
                properties:
                  port: {type: integer}
                  label: {type: string}
                  settings: {type: dict, default: {}}
                  replicas: {type: integer, default: 1}
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create: scripts/create.sh
                    configure:
                      implementation: scripts/configure.sh
                      inputs:
                        port: {default: {get_property: [SELF, port]}}
                        label: {default: {get_property: [SELF, label]}}
                    start: scripts/start.sh
            node_templates:

            """);
        for (var i = 0; i < templates; i++)
        {
            if (i < hosts)
            {
                yaml.Append(inv, $"  host{i}:\n    type: b13.Host\n    properties:\n      agent_config: {{install_method: none}}\n      zone: zone-{i % 3}\n");
                continue;
            }

            yaml.Append(inv, $"  app{i}:\n    type: b13.App\n    properties:\n      port: {{get_input: port}}\n");
            yaml.Append(inv, $"      label: {{concat: [{{get_input: env}}, '-app{i}']}}\n      settings: {{get_input: settings}}\n");
            if (instances != 1)
            {
                yaml.Append(inv, $"    capabilities:\n      scalable:\n        properties:\n          default_instances: {instances}\n");
            }

            var relationships = new List<string>();
            if (hosts > 0)
            {
                relationships.Add(string.Create(inv, $"      - type: cloudify.relationships.contained_in\n        target: host{i % hosts}\n"));
            }

            if (i > hosts)
            {
                var connection = hosts > 0 ? string.Empty : "\n        properties: {connection_type: all_to_one}";
                relationships.Add(string.Create(inv, $"      - type: cloudify.relationships.depends_on\n        target: app{i - 1}{connection}\n"));
            }

            if (relationships.Count > 0)
            {
                yaml.Append("    relationships:\n").Append(string.Concat(relationships));
            }
        }

        yaml.Append("outputs:\n");
        for (var i = hosts; i < templates; i += Math.Max(1, (templates - hosts) / 20))
        {
            yaml.Append(inv, $"  app{i}_label:\n    value: {{get_attribute: [app{i}, label]}}\n");
        }

        var path = Path.Combine(folder, "blueprint.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }
}
