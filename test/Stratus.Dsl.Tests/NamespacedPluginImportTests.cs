namespace Stratus.Dsl.Tests;

/// <summary>A namespaced <c>plugin:</c> import given property values (1_5); facts from Cloudify's --full plan.</summary>
public sealed class NamespacedPluginImportTests
{
    private const string PluginYaml = """
        plugins:
          pp:
            executor: central_deployment_agent
            package_name: pp
            properties:
              region: { type: string, value: eu }
        """;

    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_5
        imports:
          - cloudify/types/types.yaml
          - n--plugin:pp:
              region: us
        node_templates:
          n:
            type: cloudify.nodes.Root
            interfaces:
              cloudify.interfaces.lifecycle:
                create: n--pp.tasks.create
        """;

    [Fact]
    public void Parse_SetsImportPropertiesOnTheNamespacedPluginsRenamedProperties()
    {
        var pluginYaml = TestBlueprints.Write(PluginYaml);
        var parser = new BlueprintParser { PluginResolver = _ => pluginYaml };

        var plan = parser.Parse(TestBlueprints.Write(Blueprint), TestContext.Current.CancellationToken).Plan;

        var plugin = plan["deployment_plugins_to_install"]!.AsArray().Single()!;
        Assert.Equal("n--pp", plugin["name"]!.GetValue<string>());
        Assert.Equal("""{"n--region":{"type":"string","value":"us"}}""", plugin["properties"]!.ToJsonString());
    }
}
