using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class RuntimeEvaluationTests
{
    private sealed class FakeContext : IFunctionContext
    {
        public JsonObject Inputs { get; } = new() { ["port"] = 8080, ["cfg"] = new JsonObject { ["hosts"] = new JsonArray("a", "b") } };

        public Dictionary<string, JsonObject> Nodes { get; } = new()
        {
            ["web"] = new JsonObject { ["properties"] = new JsonObject { ["port"] = 80, ["name"] = new JsonObject { ["get_input"] = "port" } } },
            ["db"] = new JsonObject { ["properties"] = new JsonObject() },
        };

        public Dictionary<string, JsonObject> Runtime { get; } = new()
        {
            ["web_abc123"] = new JsonObject { ["ip"] = "10.0.0.1", ["nics"] = new JsonArray(new JsonObject { ["mac"] = "m0" }) },
            ["db_aaaaaa"] = new JsonObject(),
            ["db_bbbbbb"] = new JsonObject(),
        };

        public string? SelfInstanceId { get; init; }

        public string? SourceInstanceId { get; init; }

        public string? TargetInstanceId { get; init; }

        public JsonObject? GetNode(string nodeName) => Nodes.GetValueOrDefault(nodeName);

        public JsonObject? GetRuntimeProperties(string nodeInstanceId) => Runtime.GetValueOrDefault(nodeInstanceId);

        public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) =>
            Runtime.Keys.Where(k => k.StartsWith(nodeName + "_", StringComparison.Ordinal)).ToList();

        public string? GetSecret(string key) => key == "creds" ? """{"user":"u1"}""" : null;

        public IReadOnlyCollection<string> GetRelatedInstanceIds(string nodeInstanceId) =>
            nodeInstanceId == "web_abc123" ? ["db_bbbbbb"] : [];
    }

    private static JsonNode? Eval(string json, FakeContext? context = null) =>
        IntrinsicFunctions.Evaluate(JsonNode.Parse(json), context ?? new FakeContext { SelfInstanceId = "web_abc123" });

    [Theory]
    [InlineData("""{"get_attribute":["SELF","ip"]}""", "\"10.0.0.1\"")]
    [InlineData("""{"get_attribute":["web","nics",0,"mac"]}""", "\"m0\"")]
    [InlineData("""{"get_attribute":["SELF","port"]}""", "80")]
    [InlineData("""{"get_attribute":["SELF","node_instance_id"]}""", "\"web_abc123\"")]
    [InlineData("""{"get_attribute":["SELF","missing"]}""", "null")]
    [InlineData("""{"get_property":["SELF","name"]}""", "8080")]
    [InlineData("""{"get_input":["cfg","hosts",1]}""", "\"b\"")]
    [InlineData("""{"concat":["http://",{"get_attribute":["SELF","ip"]},":",{"get_input":"port"}]}""", "\"http://10.0.0.1:8080\"")]
    [InlineData("""{"get_secret":["creds","user"]}""", "\"u1\"")]
    [InlineData("""{"merge":[{"a":1},{"a":2,"b":3}]}""", """{"a":2,"b":3}""")]
    [InlineData("""{"x":[{"string_upper":"abc"},{"string_split":["a,b",",",1]}]}""", """{"x":["ABC","b"]}""")]
    public void Evaluate_ResolvesFunctions_AgainstTheModel(string expression, string expected)
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Eval(expression)), Eval(expression)?.ToJsonString());
    }

    [Fact]
    public void Evaluate_PicksTheRelatedInstance_WhenNodeHasSeveralInstances()
    {
        var context = new FakeContext { SelfInstanceId = "web_abc123" };
        context.Runtime["db_bbbbbb"]["x"] = "from-b";

        Assert.Equal("from-b", Eval("""{"get_attribute":["db","x"]}""", context)!.GetValue<string>());
    }

    [Fact]
    public void Evaluate_Fails_WhenNodeHasSeveralUnrelatedInstances()
    {
        var ex = Assert.Throws<DeploymentPlanException>(() => Eval("""{"get_attribute":["db","x"]}""", new FakeContext()));

        Assert.Equal("functions_evaluation_error", ex.ErrorCode);
        Assert.Contains("More than one node instance found for node \"db\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReadsTargetRuntimeProperties_InRelationshipOperation()
    {
        var context = new FakeContext { SourceInstanceId = "db_aaaaaa", TargetInstanceId = "web_abc123" };

        Assert.Equal("10.0.0.1", Eval("""{"get_attribute":["TARGET","ip"]}""", context)!.GetValue<string>());
    }

    [Fact]
    public void ContainsFunctions_DetectsNestedCalls_AndIgnoresLookalikes()
    {
        Assert.True(IntrinsicFunctions.ContainsFunctions(JsonNode.Parse("""{"a":[1,{"get_attribute":["SELF","x"]}]}""")));
        Assert.False(IntrinsicFunctions.ContainsFunctions(JsonNode.Parse("""{"get_attribute":["SELF","x"],"other":1}""")));
        Assert.False(IntrinsicFunctions.ContainsFunctions(JsonNode.Parse("""{"a":"get_input"}""")));
    }
}
