namespace Stratus.Dsl.Tests;

public sealed class PluginImportTests
{
    private const string PluginYaml = """
        plugins:
          mock:
            executor: central_deployment_agent
            package_name: cloudify-mock-plugin
            package_version: '1.0'
        node_types:
          mock.nodes.Thing:
            derived_from: cloudify.nodes.Root
            interfaces:
              cloudify.interfaces.lifecycle:
                create: mock.tasks.create
        """;

    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_0
        imports:
          - cloudify/types/types.yaml
          - plugin:cloudify-mock-plugin?version= >=1.0
        node_templates:
          t: {type: mock.nodes.Thing}
        """;

    [Fact]
    public void Parse_LoadsPluginYaml_ThroughTheResolver()
    {
        var pluginDir = Path.GetDirectoryName(TestBlueprints.Write(PluginYaml))!;
        string? asked = null;
        var parser = new BlueprintParser
        {
            PluginResolver = spec =>
            {
                asked = spec;
                return Path.Combine(pluginDir, "blueprint.yaml");
            },
        };

        var plan = parser.Parse(TestBlueprints.Write(Blueprint), TestContext.Current.CancellationToken).Plan;

        Assert.Equal("cloudify-mock-plugin?version= >=1.0", asked);
        var create = TestBlueprints.Node(plan, "t")["operations"]!["cloudify.interfaces.lifecycle.create"]!;
        Assert.Equal("mock", create["plugin"]!.GetValue<string>());
        Assert.Equal("tasks.create", create["operation"]!.GetValue<string>());
        Assert.Equal("cloudify-mock-plugin", plan["deployment_plugins_to_install"]![0]!["package_name"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_RefusesPluginImport_WithoutResolver()
    {
        var ex = Assert.Throws<DslParseException>(
            () => new BlueprintParser().Parse(TestBlueprints.Write(Blueprint), TestContext.Current.CancellationToken));

        Assert.Equal(13, ex.DslErrorCode);
        Assert.Equal((4, 5), (ex.Line, ex.Column));
    }
}
