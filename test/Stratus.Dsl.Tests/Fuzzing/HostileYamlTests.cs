using System.Text;

namespace Stratus.Dsl.Tests.Fuzzing;

/// <summary>Inputs built to exhaust a parser: each must end in a clear error, quickly and without a crash.</summary>
public sealed class HostileYamlTests
{
    private const string Header = "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\n";

    [Fact]
    public void Parse_RefusesBillionLaughs_AsIllegalYaml()
    {
        var yaml = new StringBuilder(Header).Append("dsl_definitions:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append($"  l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        yaml.Append("inputs:\n  bomb: {default: *l9}\n");

        var error = TestBlueprints.ParseError(yaml.ToString());

        Assert.Equal(-1, error.DslErrorCode);
        Assert.Contains("expands to too many nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AcceptsModestAliasReuse()
    {
        var yaml = Header + "dsl_definitions:\n  agent: &agent {install_method: none, user: x}\n"
            + "node_templates:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"  h{i}:\n    type: cloudify.nodes.Compute\n    properties: {{agent_config: *agent}}\n"));

        var plan = TestBlueprints.ParseText(yaml);

        Assert.Equal(200, plan["nodes"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void Parse_RefusesDeepNesting_WithoutExhaustingTheStack(string open, string close)
    {
        const int Depth = 100_000;
        var yaml = Header + "inputs:\n  deep: {default: " + string.Concat(Enumerable.Repeat(open, Depth)) + "x" + string.Concat(Enumerable.Repeat(close, Depth)) + "}\n";

        var error = TestBlueprints.ParseError(yaml);

        Assert.Equal(-1, error.DslErrorCode);
        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
        Assert.Single(new BlueprintParser().Validate(TestBlueprints.Write(yaml), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Prepare_RefusesAnAbsurdInstanceCount_WithDeploymentCreationError()
    {
        var plan = TestBlueprints.ParseText(Header + "node_templates:\n  n:\n    type: cloudify.nodes.Root\n    instances: {deploy: 1000000000000}\n");

        var error = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(plan, null));

        Assert.Equal("deployment_creation_error", error.ErrorCode);
        Assert.Contains("more than 100000 node instances", error.Message, StringComparison.Ordinal);
    }
}
