using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class SecretCacheTests
{
    private sealed class SecretsOnly(SecretCache secrets) : IFunctionContext
    {
        public JsonObject Inputs { get; } = new() { ["which"] = "b" };

        public string? SelfInstanceId => null;

        public string? SourceInstanceId => null;

        public string? TargetInstanceId => null;

        public JsonObject? GetNode(string nodeName) => null;

        public JsonObject? GetRuntimeProperties(string nodeInstanceId) => null;

        public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) => [];

        public string? GetSecret(string key) => secrets.Get(key);

        public ValueTask<bool> LoadPendingAsync(CancellationToken cancellationToken) => secrets.LoadPendingAsync(cancellationToken);
    }

    private sealed class NoCapabilities : ICapabilitySource
    {
        public ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no capabilities here");
    }

    private static readonly Dictionary<string, string> Stored = new(StringComparer.Ordinal) { ["key_b"] = """{"n": 2}""", ["plain"] = "p" };

    private static (SecretCache Cache, List<string> Loads) NewCache()
    {
        var loads = new List<string>();
        var cache = new SecretCache(
            (key, _) =>
            {
                loads.Add(key);
                return ValueTask.FromResult(Stored.GetValueOrDefault(key));
            },
            key => new KeyNotFoundException($"no secret {key}"));
        return (cache, loads);
    }

    [Fact]
    public async Task EvaluateAsync_LoadsSecretsNamedThroughOtherFunctions_OncePerKey()
    {
        var (cache, loads) = NewCache();
        var value = JsonNode.Parse("""
            {"a": {"get_secret": [{"concat": ["key_", {"get_input": "which"}]}, "n"]},
             "b": {"concat": [{"get_secret": "plain"}, "-", {"get_secret": "plain"}]}}
            """);

        var result = await IntrinsicFunctions.EvaluateAsync(value, new SecretsOnly(cache), new NoCapabilities(), TestContext.Current.CancellationToken);

        Assert.Equal("""{"a":2,"b":"p-p"}""", result!.ToJsonString());
        Assert.Equal(["key_b", "plain"], loads.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EvaluateAsync_ThrowsTheMissingError_ForASecretThatDoesNotExist()
    {
        var (cache, _) = NewCache();

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(
            async () => await IntrinsicFunctions.EvaluateAsync(
                JsonNode.Parse("""{"get_secret": "gone"}"""), new SecretsOnly(cache), new NoCapabilities(), TestContext.Current.CancellationToken));

        Assert.Equal("no secret gone", error.Message);
    }
}
