using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class DeploymentInputTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        inputs:
          app_count:
            type: integer
            default: 1
            constraints:
              - in_range: [1, 5]
          trace_file:
            type: string
          mode:
            default: fast
            constraints: [{valid_values: [fast, slow]}]
          name:
            required: false
            constraints: [{pattern: '[a-z]+'}, {max_length: 5}]
        node_templates:
          n: {type: cloudify.nodes.Root}
        """;

    private static readonly JsonObject Plan = TestBlueprints.ParseText(Blueprint);

    [Fact]
    public void Prepare_RejectsMissingRequiredInput_WithManagerMessage()
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(Plan, []));

        Assert.Equal("missing_required_deployment_input_error", ex.ErrorCode);
        // The REST service's wording (recorded exchange 14), which it gives before the parser's own check.
        Assert.Equal("missing inputs: trace_file", ex.Message);
    }

    [Fact]
    public void Prepare_RejectsUnknownInput()
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(Plan, new JsonObject { ["trace_file"] = "x", ["colour"] = "red" }));

        Assert.Equal("unknown_deployment_input_error", ex.ErrorCode);
        Assert.Contains("colour", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RejectsConstraintViolation_WithCloudifyMessage()
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(Plan, new JsonObject { ["app_count"] = 9, ["trace_file"] = "/dev/null" }));

        Assert.Equal("deployment_creation_error", ex.ErrorCode);
        Assert.Equal(
            "dsl_parser.exceptions.ConstraintException: Value 9 of input app_count violates constraint in_range(1, 5) operator.",
            ex.Message);
    }

    [Theory]
    [InlineData("mode", "medium", "valid_values(fast, slow) operator")]
    [InlineData("name", "ABC", "pattern([a-z]+) operator")]
    [InlineData("name", "abcdefg", "max_length(5) operator")]
    public void Prepare_RejectsValue_ThatViolatesConstraint(string input, string value, string constraint)
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(Plan, new JsonObject { ["trace_file"] = "t", [input] = value }));

        Assert.Contains(constraint, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RejectsWrongType_ForIntegerInput()
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(Plan, new JsonObject { ["trace_file"] = "t", ["app_count"] = "three" }));

        // The in_range constraint is checked before the type, as in Cloudify.
        Assert.Equal("deployment_creation_error", ex.ErrorCode);
        Assert.Equal(
            "dsl_parser.exceptions.ConstraintException: Value is not comparable, the Constraint argument type  is 'list' but value type is 'str'.",
            ex.Message);
    }

    [Fact]
    public void Prepare_AppliesDefaults_AndLeavesOptionalInputNull()
    {
        var plan = DeploymentPlanner.Prepare(Plan, new JsonObject { ["trace_file"] = "t" });

        Assert.Equal(1, plan.Inputs["app_count"]!.GetValue<long>());
        Assert.Equal("fast", plan.Inputs["mode"]!.GetValue<string>());
        Assert.True(plan.Inputs.ContainsKey("name"));
        Assert.Null(plan.Inputs["name"]);
        Assert.Single(plan.NodeInstances);
    }
}
