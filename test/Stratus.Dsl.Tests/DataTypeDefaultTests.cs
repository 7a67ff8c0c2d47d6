using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

public sealed class DataTypeDefaultTests
{
    [Fact]
    public void Parse_FillsDataTypedPropertiesWithoutADefault_LikeCloudify()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "dt-nested-defaults", "blueprint.yaml"));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "dt-nested-defaults", "expected.json")))!;

        var node = TestBlueprints.Node(TestBlueprints.ParseText(yaml), "n");

        Assert.True(
            JsonNode.DeepEquals(expected["nodes"]![0]!["properties"], node["properties"]),
            node["properties"]!.ToJsonString());
    }
}
