using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class DeploymentFunctionTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        inputs:
          cfg: {default: {key: from-input}}
        plugins:
          p: {executor: central_deployment_agent, install: false}
        node_types:
          t:
            derived_from: cloudify.nodes.Root
            properties: {a: {}, b: {}}
        node_templates:
          n:
            type: t
            properties:
              a: {get_input: cfg}
              b: {get_property: [SELF, a, key]}
            interfaces:
              i:
                op:
                  implementation: p.task
                  inputs:
                    pw: {get_secret: db_password}
                    joined: {concat: [{get_property: [n, b]}, '-', {string_upper: x}]}
        outputs:
          o: {value: {merge: [{a: 1}, {b: {get_input: [cfg, key]}}]}}
        """;

    private static readonly JsonObject Plan = TestBlueprints.ParseText(Blueprint);

    [Fact]
    public void Prepare_FollowsGetPropertyThroughAnInputValue()
    {
        var node = DeploymentPlanner.Prepare(Plan, null).Nodes[0]!;

        Assert.Equal("from-input", node["properties"]!["b"]!.GetValue<string>());
        Assert.Equal("from-input-X", node["operations"]!["i.op"]!["inputs"]!["joined"]!.GetValue<string>());
    }

    [Fact]
    public void Prepare_KeepsGetSecretForRuntime_AndFlagsTheOperation()
    {
        var op = DeploymentPlanner.Prepare(Plan, null, new PlannerOptions { SecretResolver = _ => "s3cret" }).Nodes[0]!["operations"]!["op"]!;

        Assert.Equal("db_password", op["inputs"]!["pw"]!["get_secret"]!.GetValue<string>());
        Assert.True(op["has_intrinsic_functions"]!.GetValue<bool>());
        Assert.Equal(["db_password"], Plan["requirements"]!["secrets"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public void Prepare_RejectsMissingSecret()
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(Plan, null, new PlannerOptions { SecretResolver = _ => null }));

        Assert.Equal("unknown_deployment_secret_error", ex.ErrorCode);
        Assert.Equal("Required secrets: [db_password] don't exist in this tenant", ex.Message);
    }

    [Fact]
    public void Prepare_EvaluatesMergeInOutputs()
    {
        var outputs = DeploymentPlanner.Prepare(Plan, null).Outputs;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"b":"from-input"}"""), outputs["o"]!["value"]));
    }

    [Fact]
    public void Prepare_KeepsFunctionsInInputs_AndEvaluatesThemWhereUsed()
    {
        var plan = TestBlueprints.ParseText("""
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            inputs:
              name: {default: web}
              upper: {default: {string_upper: {get_input: name}}}
            node_types:
              t: {derived_from: cloudify.nodes.Root, properties: {p: {}}}
            node_templates:
              n: {type: t, properties: {p: {get_input: upper}}}
            """);

        var deployment = DeploymentPlanner.Prepare(plan, null);

        Assert.Equal("WEB", deployment.Nodes[0]!["properties"]!["p"]!.GetValue<string>());
        Assert.Equal("name", deployment.Inputs["upper"]!["string_upper"]!["get_input"]!.GetValue<string>());
    }

    [Fact]
    public void Prepare_DoesNotChangeTheBlueprintPlan()
    {
        var before = Plan.ToJsonString();

        DeploymentPlanner.Prepare(Plan, new JsonObject { ["cfg"] = new JsonObject { ["key"] = "other" } });

        Assert.Equal(before, Plan.ToJsonString());
    }
}
