using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary><c>get_group_capability</c> through <see cref="IntrinsicFunctions.EvaluateAsync"/>, with Cloudify's four modes.</summary>
public sealed class GroupCapabilityTests
{
    private sealed class Context : IFunctionContext
    {
        public JsonObject Inputs { get; } = new() { ["suffix"] = "-local" };

        public string? SelfInstanceId => null;

        public string? SourceInstanceId => null;

        public string? TargetInstanceId => null;

        public JsonObject? GetNode(string nodeName) => null;

        public JsonObject? GetRuntimeProperties(string nodeInstanceId) => null;

        public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) => [];

        public string? GetSecret(string key) => null;
    }

    private sealed class Groups : ICapabilitySource
    {
        public List<string> Asked { get; } = [];

        public ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("not used");

        public ValueTask<IReadOnlyList<GroupDeployment>> GetGroupDeploymentsAsync(string groupId, CancellationToken cancellationToken = default)
        {
            Asked.Add(groupId);
            IReadOnlyList<GroupDeployment> members = groupId == "web"
                ?
                [
                    new("web-2", Caps(("url", "http://two"), ("port", 82))),
                    new("db", Caps(("size", 10))),
                    new("web-1", Caps(("url", "http://one"), ("nested", new JsonObject { ["hosts"] = new JsonArray("h1", "h2") }))),
                    new("web-3", Caps(("url", new JsonObject { ["concat"] = new JsonArray("http://three", new JsonObject { ["get_input"] = "suffix" }) }))),
                ]
                : throw new DeploymentPlanException("functions_evaluation_error", $"no group {groupId}");
            return ValueTask.FromResult(members);
        }

        private static JsonObject Caps(params (string Name, JsonNode? Value)[] capabilities)
        {
            var result = new JsonObject();
            foreach (var (name, value) in capabilities)
            {
                result[name] = new JsonObject { ["value"] = value };
            }

            return result;
        }
    }

    private static async Task<string?> EvalAsync(string json, Groups? groups = null) =>
        (await IntrinsicFunctions.EvaluateAsync(JsonNode.Parse(json), new Context(), groups ?? new Groups(), TestContext.Current.CancellationToken))?.ToJsonString();

    [Fact]
    public async Task GetGroupCapability_ListsOneCapability_InDeploymentIdOrder_SkippingMembersWithoutIt()
    {
        Assert.Equal("""["http://one","http://two","http://three-local"]""", await EvalAsync("""{"get_group_capability":["web","url"]}"""));
    }

    [Fact]
    public async Task GetGroupCapability_ListsPairs_WithNullForAMissingOne()
    {
        Assert.Equal(
            """[["http://one",null],["http://two",82],["http://three-local",null]]""",
            await EvalAsync("""{"get_group_capability":["web",["url","port"]]}"""));
    }

    [Fact]
    public async Task GetGroupCapability_KeysByDeploymentId_WithThePrefix()
    {
        Assert.Equal("""{"db":10}""", await EvalAsync("""{"get_group_capability":["web","deployment_id:size"]}"""));
    }

    [Fact]
    public async Task GetGroupCapability_WalksIntoEachValue_AndFailsWhereAMemberLacksThePath()
    {
        Assert.Equal("""["h2"]""", await EvalAsync("""{"get_group_capability":["web","nested","hosts",1]}"""));
        var error = await Assert.ThrowsAsync<DeploymentPlanException>(() => EvalAsync("""{"get_group_capability":["web","url","x"]}"""));
        Assert.Equal("functions_evaluation_error", error.ErrorCode);
    }

    [Fact]
    public async Task GetGroupCapability_LoadsEachGroupOnce_AndReportsAMissingGroup()
    {
        var groups = new Groups();

        var result = await EvalAsync("""{"a":{"get_group_capability":["web","port"]},"b":{"get_group_capability":["web","size"]}}""", groups);
        var missing = await Assert.ThrowsAsync<DeploymentPlanException>(() => EvalAsync("""{"get_group_capability":["ghost","url"]}"""));

        Assert.Equal("""{"a":[82],"b":[10]}""", result);
        Assert.Equal(["web"], groups.Asked);
        Assert.Contains("ghost", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LeavesGetGroupCapabilityAsWritten_WithoutACapabilitySource()
    {
        var raw = JsonNode.Parse("""{"get_group_capability":["web","url"]}""");

        Assert.True(JsonNode.DeepEquals(raw, IntrinsicFunctions.Evaluate(raw, new Context())));
    }
}
