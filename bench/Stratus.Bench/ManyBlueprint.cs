using System.Text;

namespace Stratus.Bench;

/// <summary>
/// B5's blueprint: N no-op node templates of M instances each, template i depending on template i-K all_to_one
/// (K chains; one relationship instance per source instance, as in B13's 10,000-instance file).
/// </summary>
internal static class ManyBlueprint
{
    public static void Write(string folder, int nodes, int instances, int chain)
    {
        Directory.CreateDirectory(folder);
        var yaml = new StringBuilder();
        yaml.Append("tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\nnode_templates:\n");
        for (var i = 0; i < nodes; i++)
        {
            yaml.Append("  n").Append(i).Append(":\n    type: cloudify.nodes.Root\n")
                .Append("    capabilities: {scalable: {properties: {default_instances: ").Append(instances).Append("}}}\n");
            if (i >= chain)
            {
                yaml.Append("    relationships:\n      - type: cloudify.relationships.depends_on\n        target: n").Append(i - chain)
                    .Append("\n        properties: {connection_type: all_to_one}\n");
            }
        }

        File.WriteAllText(Path.Combine(folder, "blueprint.yaml"), yaml.ToString());
    }
}
