using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Deployment-time input checks; every expected message was produced by Cloudify's prepare_deployment_plan.</summary>
public sealed class InputValidationTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_5
        inputs:
          app_count: {type: integer, default: 1, constraints: [{in_range: [1, 5]}]}
          f: {type: float, default: 1.5, constraints: [{greater_than: 1}]}
          l: {type: list, item_type: integer, required: false, constraints: [{less_than: 10}]}
          ll: {type: list, default: [1], constraints: [{min_length: 1}]}
          m: {default: x, constraints: [{valid_values: [x, 1.0, [1, 2]]}, {length: 1}]}
          p: {default: ab, constraints: [{pattern: 'a.', error_message: must start with a}]}
          e: {default: 3, constraints: [{equal: 3}]}
          q: {required: false, constraints: [{pattern: 'a.', error_message: must start with a}, {max_length: 3, error_message: 5}]}
        """;

    private static readonly JsonObject Plan = TestBlueprints.ParseText(Blueprint);

    [Theory]
    [InlineData("""{"app_count": "three"}""", "ConstraintException: Value is not comparable, the Constraint argument type  is 'list' but value type is 'str'.")]
    [InlineData("""{"app_count": null}""", "ConstraintException: Value is not comparable, the Constraint argument type  is 'list' but value type is 'NoneType'.")]
    [InlineData("""{"app_count": [1]}""", "ConstraintException: Value is not comparable, the Constraint argument type  is 'list' but value type is 'list'.")]
    [InlineData("""{"app_count": true}""", "DSLParsingException: Property type validation failed in 'app_count': the defined type is 'integer', yet it was assigned with the value 'True'")]
    [InlineData("""{"app_count": 2.0}""", "DSLParsingException: Property type validation failed in 'app_count': the defined type is 'integer', yet it was assigned with the value '2.0'")]
    [InlineData("""{"f": 1}""", "ConstraintException: Value 1 of input f violates constraint greater_than(1) operator.")]
    [InlineData("""{"f": true}""", "ConstraintException: Value True of input f violates constraint greater_than(1) operator.")]
    [InlineData("""{"f": "2"}""", "ConstraintException: Value is not comparable, the Constraint argument type  is 'int' but value type is 'str'.")]
    [InlineData("""{"l": [1, 20]}""", "ConstraintException: Value 20 of input l violates constraint less_than(10) operator.")]
    [InlineData("""{"l": "12"}""", "DSLParsingLogicException: Property type validation failed in 'l': the defined type is 'integer', yet it was assigned with the value '1'")]
    [InlineData("""{"l": ["a"]}""", "DSLParsingLogicException: Property type validation failed in 'l': the defined type is 'integer', yet it was assigned with the value 'a'")]
    [InlineData("""{"ll": []}""", "ConstraintException: Value [] of input ll violates constraint min_length(1) operator.")]
    [InlineData("""{"ll": 5}""", "ConstraintException: Value's length could not be computed. Value type is 'int'.")]
    [InlineData("""{"m": true}""", "ConstraintException: Value's length could not be computed. Value type is 'bool'.")]
    [InlineData("""{"m": 1}""", "ConstraintException: Value's length could not be computed. Value type is 'int'.")]
    [InlineData("""{"m": [1, 2]}""", "ConstraintException: Value [1, 2] of input m violates constraint length(1) operator.")]
    [InlineData("""{"p": "ba"}""", "ConstraintException: Value ba of input p violates constraint pattern(a.) operator.")]
    [InlineData("""{"p": 5}""", "ConstraintException: Value must be of type string, got type 'int'")]
    [InlineData("""{"e": "3"}""", "ConstraintException: Value 3 of input e violates constraint equal(3) operator.")]
    [InlineData("""{"q": "ba"}""", "ConstraintException: Value ba of input q is invalid. must start with a")]
    [InlineData("""{"q": "abcd"}""", "ConstraintException: Value abcd of input q is invalid. 5")]
    public void Prepare_RejectsInput_WithCloudifysMessage(string inputs, string expected)
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(Plan, JsonNode.Parse(inputs)!.AsObject()));

        Assert.Equal("deployment_creation_error", ex.ErrorCode);
        Assert.Equal($"dsl_parser.exceptions.{expected}", ex.Message);
    }

    [Fact]
    public void Prepare_ReportsANonIterableItemList_AsPythonDoes()
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(Plan, new JsonObject { ["l"] = 5 }));

        Assert.Equal("TypeError: 'int' object is not iterable", ex.Message);
    }

    [Theory]
    [InlineData("""{"e": 3.0}""")]
    [InlineData("""{"p": "abcé"}""")]
    [InlineData("""{"q": "ab"}""")]
    public void Prepare_AcceptsInput_CloudifyAccepts(string inputs)
    {
        var given = JsonNode.Parse(inputs)!.AsObject();

        var plan = DeploymentPlanner.Prepare(Plan, given);

        var (name, value) = given.First();
        Assert.True(JsonNode.DeepEquals(value, plan.Inputs[name]), plan.Inputs.ToJsonString());
    }

    private const string Typed = """
        tosca_definitions_version: cloudify_dsl_1_5
        inputs:
          i: {type: integer}
          f: {type: float, default: 1}
          b: {type: boolean, default: false}
          l: {type: list, item_type: integer, default: [1]}
          s: {type: string, default: x}
        """;

    private static readonly JsonObject TypedPlan = TestBlueprints.ParseText(Typed);

    [Theory]
    [InlineData("""{"i": " 12 ", "f": "1e3", "b": "true"}""", """{"i": 12, "f": 1000.0, "b": true, "l": [1], "s": "x"}""")]
    [InlineData("""{"i": "-1_000", "f": "3", "b": "false", "s": "7"}""", """{"i": -1000, "f": 3.0, "b": false, "l": [1], "s": "7"}""")]
    [InlineData("""{"i": "+7"}""", """{"i": 7, "f": 1, "b": false, "l": [1], "s": "x"}""")]
    public void Prepare_AutoCorrectsStrings_LikeCastToType(string inputs, string expected)
    {
        var plan = DeploymentPlanner.Prepare(TypedPlan, JsonNode.Parse(inputs)!.AsObject(), new PlannerOptions { AutoCorrectTypes = true });

        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), plan.Inputs.ToJsonString());
    }

    [Theory]
    [InlineData("""{"i": "1.5"}""", "DSLParsingException: Property type validation failed in 'i': the defined type is 'integer', yet it was assigned with the value '1.5'")]
    [InlineData("""{"i": 1, "b": "True"}""", "DSLParsingException: Property type validation failed in 'b': the defined type is 'boolean', yet it was assigned with the value 'True'")]
    [InlineData("""{"i": 1, "l": ["1", "2"]}""", "DSLParsingLogicException: Property type validation failed in 'l': the defined type is 'integer', yet it was assigned with the value '1'")]
    public void Prepare_AutoCorrect_LeavesWhatPythonCannotCast(string inputs, string expected)
    {
        var ex = Assert.Throws<DeploymentPlanException>(
            () => DeploymentPlanner.Prepare(TypedPlan, JsonNode.Parse(inputs)!.AsObject(), new PlannerOptions { AutoCorrectTypes = true }));

        Assert.Equal($"dsl_parser.exceptions.{expected}", ex.Message);
    }

    [Fact]
    public void Prepare_WithoutAutoCorrect_RejectsANumericString()
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(TypedPlan, new JsonObject { ["i"] = "12" }));

        Assert.Equal(
            "dsl_parser.exceptions.DSLParsingException: Property type validation failed in 'i': the defined type is 'integer', yet it was assigned with the value '12'",
            ex.Message);
    }

    private const string DataTyped = """
        tosca_definitions_version: cloudify_dsl_1_5
        data_types:
          base:
            properties:
              a: {type: integer, default: 1}
          d:
            derived_from: base
            properties:
              b: {type: string}
              c: {type: base, default: {a: 5}}
        inputs:
          dd: {type: d, required: false}
          e: {type: d, default: {b: y}}
          n: {default: null}
        """;

    private static readonly JsonObject DataPlan = TestBlueprints.ParseText(DataTyped);

    [Fact]
    public void Prepare_CompletesDataTypes_WithNestedAndInheritedDefaults()
    {
        var plan = DeploymentPlanner.Prepare(DataPlan, new JsonObject { ["n"] = 1 });

        Assert.Equal("""{"dd":null,"e":{"b":"y","c":{"a":5},"a":1},"n":1}""", plan.Inputs.ToJsonString());
    }

    [Theory]
    [InlineData("""{"n": 1, "e": {"b": "q", "z": 1}}""", "Undefined property z in value of input e.")]
    [InlineData("""{"n": 1, "e": {"c": {}}}""", "Value of input e is missing property b.")]
    [InlineData("""{"n": 1, "e": {"b": 1, "c": {"a": "x"}}}""", "Property type validation failed in 'e': property 'c.a' type is 'integer', yet it was assigned with the value 'x'")]
    public void Prepare_RejectsDataTypeViolations(string inputs, string expected)
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(DataPlan, JsonNode.Parse(inputs)!.AsObject()));

        Assert.Equal($"dsl_parser.exceptions.DSLParsingException: {expected}", ex.Message);
    }

    [Fact]
    public void Prepare_TreatsANullDefault_AsMissing()
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(DataPlan, []));

        Assert.Equal(
            "dsl_parser.exceptions.MissingRequiredInputError: Required inputs ['n'] were not specified - expected inputs: ['dd', 'e', 'n']",
            ex.Message);
    }

    private const string WithFunctions = """
        tosca_definitions_version: cloudify_dsl_1_5
        data_types:
          d:
            properties:
              a: {type: integer}
        inputs:
          c: {type: integer, required: false, constraints: [{greater_than: 1}]}
          i: {type: integer, required: false}
          dd: {type: d, required: false}
          l: {type: list, item_type: string, required: false, constraints: [{min_length: 2}]}
        """;

    private static readonly JsonObject FunctionPlan = TestBlueprints.ParseText(WithFunctions);

    [Theory]
    [InlineData("""{"i": {"get_secret": "x"}}""")]
    [InlineData("""{"i": {"get_secret": "x", "type": "integer"}}""")]
    [InlineData("""{"dd": {"get_secret": "x"}}""")]
    [InlineData("""{"dd": {"a": {"get_secret": "x"}}}""")]
    [InlineData("""{"l": {"get_secret": "x"}}""")]
    public void Prepare_KeepsFunctionValues_WhereNoConstraintApplies(string inputs)
    {
        var given = JsonNode.Parse(inputs)!.AsObject();

        var plan = DeploymentPlanner.Prepare(FunctionPlan, given);

        var (name, value) = given.First();
        Assert.True(JsonNode.DeepEquals(value, plan.Inputs[name]), plan.Inputs.ToJsonString());
    }

    [Theory]
    [InlineData("""{"c": {"get_secret": "x"}}""", "DSLParsingException: Input value {'get_secret': 'x'}, of input c, cannot contain an intrinsic function and also have constraints.")]
    [InlineData("""{"l": ["ab", {"get_secret": "x"}]}""", "DSLParsingException: Input value {'get_secret': 'x'}, of input l, cannot contain an intrinsic function and also have constraints.")]
    [InlineData("""{"c": {"a": 1}}""", "ConstraintException: Value is not comparable, the Constraint argument type  is 'int' but value type is 'dict'.")]
    public void Prepare_RejectsFunctionValues_UnderConstraints(string inputs, string expected)
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(FunctionPlan, JsonNode.Parse(inputs)!.AsObject()));

        Assert.Equal($"dsl_parser.exceptions.{expected}", ex.Message);
    }
}
