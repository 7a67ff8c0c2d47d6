namespace Stratus.Dsl.Tests;

public sealed class ResourceConfinementTests
{
    [Fact]
    public void Parse_RefusesImportThroughSymlinkLeavingTheBlueprint()
    {
        var outside = Path.Combine(Path.GetTempPath(), "stratus-dsl-tests", Guid.NewGuid().ToString("N") + ".yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        File.WriteAllText(outside, "node_types: {}\n");
        var main = TestBlueprints.Write("tosca_definitions_version: cloudify_dsl_1_4\nimports: [linked.yaml]\n");
        File.CreateSymbolicLink(Path.Combine(Path.GetDirectoryName(main)!, "linked.yaml"), outside);

        var ex = Assert.Throws<DslParseException>(() => new BlueprintParser().Parse(main, TestContext.Current.CancellationToken));

        Assert.Equal(13, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_DoesNotTreatAPathOutsideTheBlueprintAsAScript()
    {
        var ex = TestBlueprints.ParseError("""
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            node_templates:
              n:
                type: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create: ../../../../../../etc/hostname
            """);

        Assert.Equal(10, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_ResolvesImportsRelativeToTheImportingFile()
    {
        var plan = TestBlueprints.ParseText(
            "tosca_definitions_version: cloudify_dsl_1_4\nimports: [lib/a.yaml]\nnode_templates:\n  n: {type: b.Type}\n",
            ("lib/a.yaml", "imports: [cloudify/types/types.yaml, sub/b.yaml]\n"),
            ("lib/sub/b.yaml", "node_types:\n  b.Type: {derived_from: cloudify.nodes.Root}\n"));

        Assert.Equal(["cloudify.nodes.Root", "b.Type"], TestBlueprints.Node(plan, "n")["type_hierarchy"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void Parse_RefusesHostAgentOperation_OnNodeWithoutHost()
    {
        var ex = TestBlueprints.ParseError("""
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            plugins:
              p: {executor: host_agent, install: false}
            node_templates:
              n:
                type: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create: p.tasks.create
            """);

        Assert.Equal(24, ex.DslErrorCode);
        Assert.Equal(6, ex.Line);
    }

    [Fact]
    public void Prepare_HonoursLegacyInstancesDeploy()
    {
        var plan = TestBlueprints.ParseText("""
            tosca_definitions_version: cloudify_dsl_1_2
            imports: [cloudify/types/types.yaml]
            node_templates:
              n: {type: cloudify.nodes.Root, instances: {deploy: 3}}
            """);

        Assert.Equal(3, DeploymentPlanner.Prepare(plan, null).NodeInstances.Count);
        Assert.Equal(3, TestBlueprints.Node(plan, "n")["instances"]!["deploy"]!.GetValue<long>());
    }
}
