using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Object-typed inputs are checked against the manager through <see cref="IInputValueLookup"/>, as Cloudify's values_getter.</summary>
public sealed class ObjectInputTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_5
        inputs:
          bp: {type: blueprint_id, required: false}
          dep: {type: deployment_id, required: false, constraints: [{name_pattern: {starts_with: pro}}, {labels: [{env: prod}]}]}
          node: {type: node_id, required: false}
          node2: {type: node_id, required: false, constraints: [{deployment_id: other}, {valid_values: [a, b]}]}
          ni: {type: node_instance, required: false}
          sec: {type: secret_key, required: false, constraints: [{valid_values: [k1]}]}
          bad: {type: blueprint_id, required: false, constraints: [{deployment_id: x}]}
          ops: {type: list, item_type: operation_name, required: false, constraints: [{name_pattern: {contains: lifecycle}}]}
        """;

    private static readonly JsonObject Plan = TestBlueprints.ParseText(Blueprint);

    private sealed class FakeLookup : IInputValueLookup
    {
        public List<string> Calls { get; } = [];

        public bool HasBlueprintId => true;

        public bool HasDeploymentId => false;

        public ValueTask<IReadOnlyCollection<JsonNode?>> GetAsync(
            string dataType, JsonNode? value, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken = default)
        {
            Calls.Add($"{dataType} {value?.ToJsonString()} {new JsonObject(query.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))).ToJsonString()}");
            string[] known = dataType switch
            {
                "blueprint_id" => ["b1"],
                "deployment_id" => ["prod1"],
                "node_id" => ["a"],
                "secret_key" => ["k1", "k2"],
                "operation_name" => ["cloudify.interfaces.lifecycle.create"],
                _ => [],
            };
            return ValueTask.FromResult<IReadOnlyCollection<JsonNode?>>([.. known.Select(k => (JsonNode?)k)]);
        }
    }

    [Theory]
    [InlineData("""{"bp": "b1"}""", """blueprint_id "b1" {}""")]
    [InlineData("""{"dep": "prod1"}""", """deployment_id "prod1" {}|deployment_id "prod1" {"display_name_specs":{"starts_with":"pro"},"labels":[{"env":"prod"}]}""")]
    [InlineData("""{"node": "n1"}""", "")]
    [InlineData("""{"node2": "a"}""", """node_id "a" {"deployment_id":"other","valid_values":["a","b"]}""")]
    [InlineData("""{"sec": "k1"}""", """secret_key "k1" {}""")]
    [InlineData("""{"ops": ["cloudify.interfaces.lifecycle.create"]}""", """operation_name "cloudify.interfaces.lifecycle.create" {"operation_name_specs":{"contains":"lifecycle"}}""")]
    public void Prepare_AsksTheManager_AsCloudifyDoes(string inputs, string calls)
    {
        var lookup = new FakeLookup();

        var plan = DeploymentPlanner.Prepare(Plan, JsonNode.Parse(inputs)!.AsObject(), new PlannerOptions { ValueLookup = lookup });

        Assert.Equal(calls.Length == 0 ? [] : calls.Split('|'), lookup.Calls);
        var (name, value) = JsonNode.Parse(inputs)!.AsObject().First();
        Assert.True(JsonNode.DeepEquals(value, plan.Inputs[name]));
    }

    [Theory]
    [InlineData("""{"bp": "zz"}""", "Value 'zz' of 'bp' is not a valid value for data type 'blueprint_id'.")]
    [InlineData("""{"node2": "c"}""", "Value 'c' of input 'node2' does not match any relevant entity or violates at least one of the constraints: deployment_id(other) operator, valid_values(a, b) operator.")]
    [InlineData("""{"ni": "x_1"}""", "Input 'ni' of type 'node_instance' lacks 'deployment_id' constraint.")]
    [InlineData("""{"sec": "k2"}""", "Value k2 of input sec violates constraint valid_values(k1) operator.")]
    [InlineData("""{"bad": "b1"}""", "'deployment_id' constraint is not defined for 'blueprint_id' data types")]
    public void Prepare_RejectsObjectValues_TheManagerDoesNotHave(string inputs, string expected)
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(Plan, JsonNode.Parse(inputs)!.AsObject(), new PlannerOptions { ValueLookup = new FakeLookup() }));

        Assert.Equal("deployment_creation_error", ex.ErrorCode);
        Assert.Equal($"dsl_parser.exceptions.ConstraintException: {expected}", ex.Message);
    }

    [Fact]
    public void Prepare_WithoutALookup_RejectsObjectTypedValues()
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(Plan, new JsonObject { ["bp"] = "b1" }));

        Assert.Equal("dsl_parser.exceptions.ConstraintException: Invalid call to validate_input_value: value_getter not set", ex.Message);
    }
}
