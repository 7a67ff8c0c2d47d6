using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>What a <c>blueprint:</c> import leaves in the plan beyond the oracle's summary (facts from Cloudify's --full plan).</summary>
public sealed class BlueprintImportPlanTests
{
    [Fact]
    public void Parse_RecordsImportedBlueprintsAndNamespaces_WhenBlueprintImportsNest()
    {
        var plan = new CorpusCase("bpimport-nested").Parse();

        Assert.Equal("""["platform","network"]""", plan["imported_blueprints"]!.ToJsonString());
        Assert.Equal(
            """{"edge":"network","platform":"platform","platform--net":"network"}""",
            Sorted(plan["namespaces_mapping"]));
    }

    [Fact]
    public void Parse_ListsABlueprintOncePerNamespace_WhenImportedTwice()
    {
        var plan = new CorpusCase("bpimport-twice-labels-tags").Parse();

        Assert.Equal("""["x","x"]""", plan["imported_blueprints"]!.ToJsonString());
        Assert.Equal("""{"a":"x","b":"x"}""", Sorted(plan["namespaces_mapping"]));
        Assert.Equal("""{"m--cost":"m--center1","m--plain":{"get_input":"nothing"}}""", Sorted(plan["resource_tags"]));
    }

    [Fact]
    public void Parse_KeepsImportedBlueprintScriptsNamespaced_SoTheyResolveInThatBlueprint()
    {
        var plan = new CorpusCase("bpimport-nested").Parse();

        var gateway = TestBlueprints.Node(plan, "platform--gateway");
        var configure = gateway["operations"]!["cloudify.interfaces.lifecycle.configure"]!;
        Assert.Equal("script", configure["plugin"]!.GetValue<string>());
        Assert.Equal("platform--net--scripts/setup.sh", configure["inputs"]!["script_path"]!.GetValue<string>());
        var create = TestBlueprints.Node(plan, "frontend")["operations"]!["cloudify.interfaces.lifecycle.create"]!;
        Assert.Equal("platform--net--scripts/setup.sh", create["inputs"]!["script_path"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_RecordsNoImportedBlueprints_ForPlainNamespacedFiles()
    {
        var plan = new CorpusCase("ns-nested-chain").Parse();

        Assert.Empty(plan["imported_blueprints"]!.AsArray());
        Assert.Empty(plan["namespaces_mapping"]!.AsObject());
    }

    [Fact]
    public void Parse_RefusesBlueprintImport_WhenNoResolverIsConfigured()
    {
        var error = Assert.Throws<DslParseException>(() =>
            new BlueprintParser().Parse(Path.Combine(new CorpusCase("bpimport-basic").Directory, "blueprint.yaml"), TestContext.Current.CancellationToken));

        Assert.Equal(13, error.DslErrorCode);
    }

    [Fact]
    public void Parse_NamespacesWorkflowScriptOfImportedBlueprint()
    {
        var plan = new CorpusCase("bpimport-basic").Parse();

        var refresh = plan["workflows"]!["infra--refresh"]!.AsObject();
        Assert.Equal("script_runner.tasks.execute_workflow", refresh["operation"]!.GetValue<string>());
        Assert.Equal("infra--scripts/refresh.sh", refresh["parameters"]!["script_path"]!["default"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_RefusesBlueprintImportsThatLoop()
    {
        const string Header = "tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\n";
        var b = TestBlueprints.Write(Header + "  - c--blueprint:c\n");
        var c = TestBlueprints.Write(Header + "  - b--blueprint:b\n");
        var main = TestBlueprints.Write(Header + "  - b--blueprint:b\n");
        var parser = new BlueprintParser { BlueprintResolver = id => id switch { "b" => b, "c" => c, _ => null } };

        var error = Assert.Throws<DslParseException>(() => parser.Parse(main, TestContext.Current.CancellationToken));

        Assert.Equal(13, error.DslErrorCode);
        Assert.Contains("b -> c", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An object's JSON with its keys in order, so the comparison does not depend on merge order.</summary>
    private static string Sorted(JsonNode? value) =>
        new JsonObject(value!.AsObject().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))).ToJsonString();
}
