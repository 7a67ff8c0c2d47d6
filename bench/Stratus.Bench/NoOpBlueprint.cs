using System.Text;

namespace Stratus.Bench;

/// <summary>
/// The benchmark blueprint of benchmarks.md: N no-op nodes (cloudify.nodes.Root), node i depends on node i-K,
/// so K chains run in parallel.
/// </summary>
internal static class NoOpBlueprint
{
    public static void Write(string folder, int nodes, int chain)
    {
        Directory.CreateDirectory(folder);
        var yaml = new StringBuilder();
        yaml.Append("tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\nnode_templates:\n");
        for (var i = 0; i < nodes; i++)
        {
            yaml.Append("  n").Append(i).Append(":\n    type: cloudify.nodes.Root\n");
            if (i >= chain)
            {
                yaml.Append("    relationships:\n      - type: cloudify.relationships.depends_on\n        target: n").Append(i - chain).Append('\n');
            }
        }

        File.WriteAllText(Path.Combine(folder, "blueprint.yaml"), yaml.ToString());
    }
}
