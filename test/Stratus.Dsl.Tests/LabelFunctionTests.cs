using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>get_label, get_consumers and get_environment_capability in the runtime function host.</summary>
public sealed class LabelFunctionTests
{
    private sealed class LabelledContext(DeploymentLabelSet? labels) : IFunctionContext
    {
        public JsonObject Inputs { get; } = new() { ["key"] = "tier" };

        public DeploymentLabelSet? Labels => labels;

        public string? SelfInstanceId => null;

        public string? SourceInstanceId => null;

        public string? TargetInstanceId => null;

        public JsonObject? GetNode(string nodeName) => null;

        public JsonObject? GetRuntimeProperties(string nodeInstanceId) => null;

        public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) => [];

        public string? GetSecret(string key) => null;
    }

    private sealed class Capabilities : ICapabilitySource
    {
        public List<(string Deployment, string Capability)> Asked { get; } = [];

        public ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default)
        {
            Asked.Add((deploymentId, capability));
            return ValueTask.FromResult<JsonNode?>(new JsonObject { ["cidr"] = $"{deploymentId}/{capability}", ["ports"] = new JsonArray(22, 80) });
        }
    }

    private static readonly DeploymentLabelSet Labels = new(
        "svc",
        [
            KeyValuePair.Create("tier", "web"),
            KeyValuePair.Create("tier", "app"),
            KeyValuePair.Create("csys-obj-parent", "env"),
            KeyValuePair.Create("csys-consumer-id", "c1"),
            KeyValuePair.Create("csys-consumer-id", "gone"),
        ],
        new Dictionary<string, string> { ["c1"] = "Consumer One" });

    private static JsonNode? Eval(string json, DeploymentLabelSet? labels = null) =>
        IntrinsicFunctions.Evaluate(JsonNode.Parse(json), new LabelledContext(labels ?? Labels));

    [Theory]
    [InlineData("""{"get_label":"tier"}""", """["web","app"]""")]
    [InlineData("""{"get_label":["tier",1]}""", "\"app\"")]
    [InlineData("""{"get_label":["tier","0"]}""", "\"web\"")]
    [InlineData("""{"get_label":["tier",-1]}""", "\"app\"")]
    [InlineData("""{"get_label":{"get_input":"key"}}""", """["web","app"]""")]
    [InlineData("""{"get_consumers":"ids"}""", """["c1","gone"]""")]
    [InlineData("""{"get_consumers":"names"}""", """["Consumer One"]""")]
    [InlineData("""{"get_consumers":"count"}""", "2")]
    [InlineData("""{"concat":["tier-",{"get_label":["tier",0]}]}""", "\"tier-web\"")]
    public void Evaluate_AnswersLabelFunctions_FromTheDeploymentsLabels(string expression, string expected)
    {
        Assert.Equal(expected, Eval(expression)!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"get_label":"colour"}""", "The deployment `svc` does not have a label with the key `colour` assigned to it")]
    [InlineData("""{"get_label":["tier",2]}""", "The provided label-values list index is out of range. The key `tier` has 2 values")]
    [InlineData("""{"get_consumers":"emails"}""", "get_consumers has no property emails")]
    public void Evaluate_ReportsTheManagersErrors_AsFunctionsEvaluationErrors(string expression, string message)
    {
        var error = Assert.Throws<DeploymentPlanException>(() => Eval(expression));

        Assert.Equal(("functions_evaluation_error", message), (error.ErrorCode, error.Message));
    }

    [Fact]
    public void Evaluate_LeavesLabelFunctionsAsWritten_WithoutLabels()
    {
        var raw = """{"get_label":"tier"}""";

        var result = IntrinsicFunctions.Evaluate(JsonNode.Parse(raw), new LabelledContext(null));

        Assert.Equal(raw, result!.ToJsonString());
    }

    [Fact]
    public async Task EvaluateAsync_ReadsTheEnvironmentCapability_OfTheFirstParent()
    {
        var capabilities = new Capabilities();

        var whole = await IntrinsicFunctions.EvaluateAsync(
            JsonNode.Parse("""{"get_environment_capability":"net"}"""), new LabelledContext(Labels), capabilities, TestContext.Current.CancellationToken);
        var port = await IntrinsicFunctions.EvaluateAsync(
            JsonNode.Parse("""{"get_environment_capability":["net","ports",1]}"""), new LabelledContext(Labels), capabilities, TestContext.Current.CancellationToken);

        Assert.Equal("""{"cidr":"env/net","ports":[22,80]}""", whole!.ToJsonString());
        Assert.Equal(80, port!.GetValue<int>());
        Assert.All(capabilities.Asked, a => Assert.Equal(("env", "net"), a));
    }

    [Fact]
    public async Task EvaluateAsync_RefusesTheEnvironmentCapability_WithoutAParent()
    {
        var orphan = new DeploymentLabelSet("solo", [], new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<DeploymentPlanException>(async () => await IntrinsicFunctions.EvaluateAsync(
            JsonNode.Parse("""{"get_environment_capability":"net"}"""), new LabelledContext(orphan), new Capabilities(), TestContext.Current.CancellationToken));

        Assert.Equal("The deployment `solo` does not have a label with the key `csys-obj-parent` assigned to it", error.Message);
    }
}
