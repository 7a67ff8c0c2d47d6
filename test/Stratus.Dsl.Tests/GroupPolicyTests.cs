using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class GroupPolicyTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        node_templates:
          vm: {type: cloudify.nodes.Root}
        groups:
          g:
            members: [vm]
            policies:
              p:
                type: cloudify.policies.types.host_failure
                triggers:
                  t:
                    type: cloudify.policies.triggers.execute_workflow
                    parameters: {workflow: heal}
        """;

    [Fact]
    public void Parse_FillsMonitoringPolicyDefaults_FromPolicyTypeAndTrigger()
    {
        var policy = TestBlueprints.ParseText(Blueprint)["groups"]!["g"]!["policies"]!["p"]!;

        Assert.Equal("cloudify.policies.types.host_failure", policy["type"]!.GetValue<string>());
        Assert.IsType<JsonObject>(policy["properties"]);
        var parameters = policy["triggers"]!["t"]!["parameters"]!;
        Assert.Equal("heal", parameters["workflow"]!.GetValue<string>());
        Assert.False(parameters["force"]!.GetValue<bool>());
        Assert.Equal(1000, parameters["socket_timeout"]!.GetValue<long>());
    }

    [Fact]
    public void Parse_RefusesUnknownPolicyType()
    {
        var ex = TestBlueprints.ParseError(Blueprint.Replace("cloudify.policies.types.host_failure", "no.such.policy", StringComparison.Ordinal));

        Assert.Equal(41, ex.DslErrorCode);
        Assert.Equal(10, ex.Line);
    }

    [Fact]
    public void Parse_LetsMainFileLabelsWin_OverImportedOnes()
    {
        var plan = TestBlueprints.ParseText(
            "tosca_definitions_version: cloudify_dsl_1_4\nimports: [lib.yaml]\nblueprint_labels:\n  k: {values: [main]}\n",
            ("lib.yaml", "blueprint_labels:\n  k: {values: [lib]}\n  other: {values: [x]}\n"));

        Assert.Equal("main", plan["blueprint_labels"]!["k"]!["values"]![0]!.GetValue<string>());
        Assert.Equal("x", plan["blueprint_labels"]!["other"]!["values"]![0]!.GetValue<string>());
    }
}
