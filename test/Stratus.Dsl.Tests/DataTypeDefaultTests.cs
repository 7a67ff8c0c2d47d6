using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Property schemas and data-type defaults against the plans Cloudify's parser gave for the same corpus cases.</summary>
public sealed class DataTypeDefaultTests
{
    private static string CaseFile(string name, string file) => Path.Combine(AppContext.BaseDirectory, "Corpus", name, file);

    [Theory]
    [InlineData("dt-nested-defaults")]
    [InlineData("prop-override-replaces")]
    public void Parse_GivesNodePropertiesLikeCloudify(string name)
    {
        var expected = JsonNode.Parse(File.ReadAllText(CaseFile(name, "expected.json")))!;

        var node = TestBlueprints.Node(new BlueprintParser().Parse(CaseFile(name, "blueprint.yaml"), TestContext.Current.CancellationToken).Plan, "n");

        Assert.True(JsonNode.DeepEquals(expected["nodes"]![0]!["properties"], node["properties"]), node["properties"]!.ToJsonString());
    }

    [Fact]
    public void Parse_RedeclaredPropertyWithoutDefault_DropsTheParentsDefault()
    {
        var expected = JsonNode.Parse(File.ReadAllText(CaseFile("prop-override-missing", "expected.json")))!;

        var error = Assert.Throws<DslParseException>(() => new BlueprintParser().Parse(CaseFile("prop-override-missing", "blueprint.yaml"), TestContext.Current.CancellationToken));

        Assert.Equal(expected["err_code"]!.GetValue<int>(), error.DslErrorCode);
        Assert.StartsWith("'n' node does not provide a value for mandatory 'label' property", error.Message, StringComparison.Ordinal);
    }
}
