using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>
/// The deployment plans Cloudify's own parser produced for the blueprints under Blueprints/ (expected-deployment-plan.json,
/// descriptions removed), compared key by key with ours.
/// </summary>
public sealed class OracleComparisonTests
{
    private static readonly string[] Keys =
    [
        "nodes", "relationships", "workflows", "outputs", "inputs", "deployment_plugins_to_install",
        "workflow_plugins_to_install", "host_agent_plugins_to_install", "version", "requirements",
    ];

    [Theory]
    [InlineData("local-script", null)]
    [InlineData("hosted", """{"port": 9090}""")]
    [InlineData("scaling", null)]
    public void Prepare_MatchesCloudifyDeploymentPlan(string blueprint, string? inputs)
    {
        var plan = TestBlueprints.Parse($"{blueprint}/blueprint.yaml");
        var ours = DeploymentPlanner.Prepare(plan, inputs is null ? null : JsonNode.Parse(inputs)!.AsObject()).Plan;
        var expected = JsonNode.Parse(File.ReadAllText(TestBlueprints.PathOf($"{blueprint}/expected-deployment-plan.json")))!.AsObject();

        foreach (var key in Keys)
        {
            var want = Canonical(ById(expected[key]));
            var got = Canonical(ById(WithoutDescriptions(ours[key])));
            Assert.True(want == got, $"{blueprint}: '{key}' differs from Cloudify's plan\nexpected: {Excerpt(want, got)}\nactual:   {Excerpt(got, want)}");
        }
    }

    private static JsonNode? ById(JsonNode? value) =>
        value is JsonArray array && array.All(n => n is JsonObject o && o.ContainsKey("id"))
            ? new JsonObject(array.Select(n => KeyValuePair.Create(n!["id"]!.GetValue<string>(), (JsonNode?)n.DeepClone())))
            : value;

    private static JsonNode? WithoutDescriptions(JsonNode? value) => value switch
    {
        JsonObject obj => new JsonObject(obj.Where(kv => kv.Key != "description").Select(kv => KeyValuePair.Create(kv.Key, WithoutDescriptions(kv.Value)))),
        JsonArray array => new JsonArray(array.Select(WithoutDescriptions).ToArray()),
        _ => value?.DeepClone(),
    };

    private static string Canonical(JsonNode? value) => value switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\"{kv.Key}\":{Canonical(kv.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => value.ToJsonString(),
    };

    private static string Excerpt(string text, string other)
    {
        var at = 0;
        while (at < text.Length && at < other.Length && text[at] == other[at])
        {
            at++;
        }

        var start = Math.Max(0, at - 150);
        return text.Substring(start, Math.Min(300, text.Length - start));
    }
}
