using System.Text;

namespace Stratus.Dsl.Tests;

/// <summary>Correctness at scale; speed is measured in bench/, not asserted here.</summary>
public sealed class ScaleTests
{
    [Fact]
    public void ParseAndPrepare_ExpandEveryInstance_WhenBlueprintHasAThousandNodes()
    {
        var yaml = new StringBuilder("tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\nnode_templates:\n");
        yaml.Append("  host:\n    type: cloudify.nodes.Compute\n    properties: {agent_config: {install_method: none}}\n");
        for (var i = 0; i < 1000; i++)
        {
            yaml.Append(CultureInvariant($"  n{i}:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - {{type: cloudify.relationships.contained_in, target: host}}\n"));
            if (i > 0)
            {
                yaml.Append(CultureInvariant($"      - {{type: cloudify.relationships.depends_on, target: n{i - 1}}}\n"));
            }
        }

        var path = TestBlueprints.Write(yaml.ToString());
        var plan = new BlueprintParser().Parse(path, TestContext.Current.CancellationToken).Plan;
        var deployment = DeploymentPlanner.Prepare(plan, null);

        Assert.Equal(1001, deployment.NodeInstances.Count);
    }

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);
}
