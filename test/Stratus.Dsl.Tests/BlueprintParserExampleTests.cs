namespace Stratus.Dsl.Tests;

public sealed class BlueprintParserExampleTests
{
    [Fact]
    public void Parse_MapsScriptPathToScriptPlugin_ForLocalScriptExample()
    {
        var plan = TestBlueprints.Parse("local-script/blueprint.yaml");

        var a = TestBlueprints.Node(plan, "a");
        var create = a["operations"]!["cloudify.interfaces.lifecycle.create"]!;
        Assert.Equal("script", create["plugin"]!.GetValue<string>());
        Assert.Equal("script_runner.tasks.run", create["operation"]!.GetValue<string>());
        Assert.Equal("auto", create["executor"]!.GetValue<string>());
        Assert.Equal("scripts/create.sh", create["inputs"]!["script_path"]!.GetValue<string>());
        Assert.Equal("word", create["inputs"]!["w"]!["get_input"]!.GetValue<string>());
        Assert.Null(a["operations"]!["create"]);
        Assert.Equal(string.Empty, a["operations"]!["configure"]!["plugin"]!.GetValue<string>());
        Assert.Equal(46, a["operations"]!.AsObject().Count);
        Assert.Equal("script", a["plugins"]![0]!["name"]!.GetValue<string>());
        Assert.False(a["properties"]!["use_external_resource"]!.GetValue<bool>());
        Assert.False(a.ContainsKey("host_id"));

        var b = TestBlueprints.Node(plan, "b");
        var rel = b["relationships"]![0]!;
        Assert.Equal("a", rel["target_id"]!.GetValue<string>());
        Assert.Equal("all_to_all", rel["properties"]!["connection_type"]!.GetValue<string>());
        Assert.Equal(12, rel["source_operations"]!.AsObject().Count);
        Assert.Equal("default_workflows", plan["workflows"]!["install"]!["plugin"]!.GetValue<string>());
        Assert.Equal("cloudify.plugins.workflows.install", plan["workflows"]!["install"]!["operation"]!.GetValue<string>());
        Assert.Equal("default_workflows", plan["workflow_plugins_to_install"]![0]!["name"]!.GetValue<string>());
    }
}
