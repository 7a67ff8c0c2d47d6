using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class RuntimeOnlyEvaluationTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_5
        imports: [cloudify/types/types.yaml]
        inputs:
          a: {default: x}
          c: {default: {concat: [p, q]}}
        node_types:
          T:
            derived_from: cloudify.nodes.Root
            properties: {p: {}, q: {}}
        node_templates:
          n1:
            type: T
            properties:
              p: {get_input: a}
              q: {get_input: c}
            capabilities:
              scalable:
                properties: {default_instances: 2}
            interfaces:
              cloudify.interfaces.lifecycle:
                create:
                  implementation: x.sh
                  inputs:
                    k: {get_property: [SELF, p]}
                    j: 5
        outputs:
          o: {value: {get_input: a}}
        """;

    private static readonly JsonObject Plan = TestBlueprints.ParseText(Blueprint, ("x.sh", "#!/bin/sh\n"));

    [Fact]
    public void Prepare_EvaluatesHybrids_AndKeepsInputsAsGiven()
    {
        var plan = DeploymentPlanner.Prepare(Plan, null);

        var node = plan.Nodes[0]!;
        Assert.Equal("""{"p":"x","q":"pq"}""", new JsonObject { ["p"] = node["properties"]!["p"]!.DeepClone(), ["q"] = node["properties"]!["q"]!.DeepClone() }.ToJsonString());
        Assert.Equal("x", node["operations"]!["cloudify.interfaces.lifecycle.create"]!["inputs"]!["k"]!.GetValue<string>());
        Assert.Equal("""{"a":"x","c":{"concat":["p","q"]}}""", plan.Inputs.ToJsonString());
    }

    [Fact]
    public void Prepare_RuntimeOnly_LeavesEveryFunction_AndFlagsOperations()
    {
        var plan = DeploymentPlanner.Prepare(Plan, null, new PlannerOptions { RuntimeOnlyEvaluation = true });

        var node = plan.Nodes[0]!;
        Assert.Equal("a", node["properties"]!["p"]!["get_input"]!.GetValue<string>());
        Assert.Equal("c", node["properties"]!["q"]!["get_input"]!.GetValue<string>());
        var create = node["operations"]!["cloudify.interfaces.lifecycle.create"]!;
        Assert.Equal("SELF", create["inputs"]!["k"]!["get_property"]![0]!.GetValue<string>());
        Assert.True(create["has_intrinsic_functions"]!.GetValue<bool>());
        Assert.Equal("a", plan.Outputs["o"]!["value"]!["get_input"]!.GetValue<string>());
        Assert.Equal(2, plan.NodeInstances.Count);
    }

    [Fact]
    public void Evaluate_ResolvesRawFunctions_AtRuntime()
    {
        var plan = DeploymentPlanner.Prepare(Plan, null, new PlannerOptions { RuntimeOnlyEvaluation = true });
        var node = plan.Nodes[0]!.AsObject();
        var context = new PlanContext(plan.Inputs, node, plan.NodeInstances[0]!["id"]!.GetValue<string>());

        var properties = IntrinsicFunctions.Evaluate(node["properties"], context);
        var inputs = IntrinsicFunctions.Evaluate(node["operations"]!["cloudify.interfaces.lifecycle.create"]!["inputs"], context);

        Assert.Equal("pq", properties!["q"]!.GetValue<string>());
        Assert.Equal("x", inputs!["k"]!.GetValue<string>());
    }

    private sealed class PlanContext(JsonObject inputs, JsonObject node, string self) : IFunctionContext
    {
        public JsonObject Inputs => inputs;

        public string? SelfInstanceId => self;

        public string? SourceInstanceId => null;

        public string? TargetInstanceId => null;

        public JsonObject? GetNode(string nodeName) => nodeName == node["id"]!.GetValue<string>() ? node : null;

        public JsonObject? GetRuntimeProperties(string nodeInstanceId) => [];

        public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) => [self];

        public string? GetSecret(string key) => null;
    }
}
