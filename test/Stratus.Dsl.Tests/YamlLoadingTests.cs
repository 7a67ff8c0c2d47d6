using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class YamlLoadingTests
{
    private static JsonNode? DefaultOf(string scalar)
    {
        var plan = TestBlueprints.ParseText(
            $"tosca_definitions_version: cloudify_dsl_1_4\ninputs:\n  i:\n    default: {scalar}\n");
        return plan["inputs"]!["i"]!["default"];
    }

    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Off", "false")]
    [InlineData("'yes'", "\"yes\"")]
    [InlineData("0x1F", "31")]
    [InlineData("0755", "493")]
    [InlineData("1_000", "1000")]
    [InlineData("1:30", "90")]
    [InlineData("0b101", "5")]
    [InlineData("1e5", "\"1e5\"")]
    [InlineData("1.0e+5", "100000")]
    [InlineData("09", "\"09\"")]
    [InlineData("0o17", "\"0o17\"")]
    [InlineData(".5", "0.5")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("2024-01-01", "\"2024-01-01\"")]
    public void Load_ResolvesPlainScalars_AsPyYamlSafeLoader(string scalar, string expectedJson)
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), DefaultOf(scalar)), $"{scalar} -> {DefaultOf(scalar)?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void Load_LetsTheLastOfEqualKeysWin_InThePlaceOfTheFirst_AsPyYaml()
    {
        var plan = TestBlueprints.ParseText(
            "tosca_definitions_version: cloudify_dsl_1_4\ninputs:\n  a: {default: first, description: d, default: second}\n  b: {}\n  a: {default: third}\n");

        var inputs = plan["inputs"]!.AsObject();
        Assert.Equal(["a", "b"], inputs.Select(kv => kv.Key));
        Assert.Equal("third", inputs["a"]!["default"]!.GetValue<string>());
        Assert.Null(inputs["a"]!["description"]);
    }

    [Fact]
    public void Load_OrdersMergeKeys_AsPyYaml()
    {
        // Facts from PyYAML's safe loader: a later `<<` wins over an earlier one, the first mapping of a merged
        // list wins over the later ones, own keys win over both; merged keys come first.
        var plan = TestBlueprints.ParseText("""
            tosca_definitions_version: cloudify_dsl_1_4
            dsl_definitions:
              a: &a {default: a1, description: a2}
              b: &b {default: b1, display_label: b3}
            inputs:
              two_merges:
                <<: *a
                <<: *b
                description: own
              list_merge:
                <<: [*a, *b]
            """);

        var two = plan["inputs"]!["two_merges"]!.AsObject();
        Assert.Equal(("b1", "own", "b3"), (two["default"]!.GetValue<string>(), two["description"]!.GetValue<string>(), two["display_label"]!.GetValue<string>()));
        var list = plan["inputs"]!["list_merge"]!.AsObject();
        Assert.Equal(("a1", "a2", "b3"), (list["default"]!.GetValue<string>(), list["description"]!.GetValue<string>(), list["display_label"]!.GetValue<string>()));
        Assert.Equal(["default", "display_label", "description"], list.Select(kv => kv.Key));
    }

    [Fact]
    public void Load_AppliesAnchorsAliasesAndMergeKeys()
    {
        var plan = TestBlueprints.ParseText("""
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            dsl_definitions:
              base: &base {a: 1, b: 2}
              ops: &ops
                create: {implementation: x.y}
            node_templates:
              n:
                type: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle: &life
                    start: {}
              m:
                type: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle: *life
            outputs:
              o:
                value:
                  <<: *base
                  b: 3
            """);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"b":3}"""), plan["outputs"]!["o"]!["value"]));
        Assert.Equal(2, plan["nodes"]!.AsArray().Count);
    }

    [Fact]
    public void Load_RejectsAliasBomb()
    {
        var lines = new List<string> { "tosca_definitions_version: cloudify_dsl_1_4", "dsl_definitions:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 9; i++)
        {
            lines.Add($"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]");
        }

        var ex = TestBlueprints.ParseError(string.Join('\n', lines) + "\n");

        Assert.Equal(-1, ex.DslErrorCode);
    }
}
