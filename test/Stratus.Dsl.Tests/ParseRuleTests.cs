using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Rules whose expected codes come from Cloudify's own parser tests, replayed through the oracle.</summary>
public sealed class ParseRuleTests
{
    private const string Header14 = "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\n";

    [Theory]
    [InlineData("cloudify_dsl_1_0", "description: too new\n", 2, 1)]
    [InlineData("cloudify_dsl_1_2", "inputs:\n  i: {type: string, hidden: false, default: x}\n", 3, 21)]
    [InlineData("cloudify_dsl_1_3", "inputs:\n  i: {type: list, item_type: string, default: []}\n", 3, 19)]
    [InlineData("cloudify_dsl_1_3", "inputs:\n  i: {type: deployment_id}\n", 3, 13)]
    [InlineData("cloudify_dsl_1_4", "inputs:\n  i:\n    default: a\n    constraints: [{valid_values: [a], error_message: no}]\n", 5, 19)]
    public void Parse_RefusesFeatureNewerThanVersion(string version, string body, int line, int column)
    {
        var ex = TestBlueprints.ParseError($"tosca_definitions_version: {version}\n{body}");

        Assert.Equal(102, ex.DslErrorCode);
        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.Contains($"not supported in version {version}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MergesDataTypeDefaults_FromTypeHierarchyAndDataType()
    {
        var plan = TestBlueprints.ParseText("""
            tosca_definitions_version: cloudify_dsl_1_4
            data_types:
              inner: {properties: {a: {default: a0}, b: {default: b0}, c: {default: c0}}}
              outer: {properties: {x: {type: inner, default: {a: a1}}}}
            node_types:
              base: {properties: {p: {type: outer, default: {x: {b: b2}}}}}
              child: {derived_from: base, properties: {p: {type: outer}}}
            node_templates:
              n: {type: child, properties: {p: {x: {c: c3}}}}
            """);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"p":{"x":{"a":"a1","b":"b2","c":"c3"}}}"""), TestBlueprints.Node(plan, "n")["properties"]));
    }

    [Fact]
    public void Parse_RequiresImplementedTargetOperation_ForLifecycleDependency()
    {
        var ex = TestBlueprints.ParseError(Header14 + """
            node_templates:
              a: {type: cloudify.nodes.Root}
              b:
                type: cloudify.nodes.Root
                relationships:
                  - {type: cloudify.relationships.depends_on_lifecycle_operation, target: a, properties: {operation: create}}
            """);

        Assert.Equal(216, ex.DslErrorCode);
        Assert.Contains("\"create\" operation in the target node \"a\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesFunction_ForUseExternalResource()
    {
        var ex = TestBlueprints.ParseError(Header14 + """
            inputs: {ext: {default: false}}
            node_templates:
              a: {type: cloudify.nodes.Root, properties: {use_external_resource: {get_input: ext}}}
            """);

        Assert.Equal(219, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_RefusesScalingGroupMembers_WithoutSharedContainer()
    {
        var ex = TestBlueprints.ParseError(Header14 + """
            node_templates:
              a: {type: cloudify.nodes.Root}
              b: {type: cloudify.nodes.Root, relationships: [{type: cloudify.relationships.contained_in, target: a}]}
              c: {type: cloudify.nodes.Root}
            groups:
              g: {members: [b, c]}
            policies:
              p: {type: cloudify.policies.scaling, targets: [g]}
            """);

        Assert.Equal(202, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_RefusesMemberOfTwoScalingGroups()
    {
        var ex = TestBlueprints.ParseError(Header14 + """
            node_templates:
              a: {type: cloudify.nodes.Root}
            groups:
              g1: {members: [a]}
              g2: {members: [a]}
            policies:
              p: {type: cloudify.policies.scaling, targets: [g1, g2]}
            """);

        Assert.Equal(201, ex.DslErrorCode);
    }

    [Theory]
    [InlineData("outputs:\n  o: {value: {get_attribute: [SELF, ip]}}\n", "SELF cannot be used with get_attribute function in outputs.o.value")]
    [InlineData("outputs:\n  o: {value: {get_attribute: [ghost, ip]}}\n", "node reference 'ghost' does not exist")]
    [InlineData("outputs:\n  o: {value: {get_property: [a, nothing]}}\n", "'a.properties.nothing' referenced from 'outputs.o.value' doesn't exist")]
    [InlineData("outputs:\n  o: {value: {string_find: [abc]}}\n", "string_find function: should be called with exactly two parameters")]
    public void Parse_ValidatesFunctions(string body, string message)
    {
        var ex = TestBlueprints.ParseError(Header14 + "node_templates:\n  a: {type: cloudify.nodes.Root}\n" + body);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesNonAsciiScalars_WithTheirPosition()
    {
        var ex = TestBlueprints.ParseError("tosca_definitions_version: cloudify_dsl_1_4\ndescription: caf\u00e9\n");

        Assert.Equal(108, ex.DslErrorCode);
        Assert.Equal((2, 14), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_ReportsUnresolvableRelationshipTypeOperation()
    {
        var ex = TestBlueprints.ParseError(Header14 + """
            relationships:
              my_rel:
                derived_from: cloudify.relationships.depends_on
                source_interfaces:
                  i: {op: no_plugin.op}
            """);

        Assert.Equal(19, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_MapsScriptWorkflow_ToScriptPlugin()
    {
        var plan = TestBlueprints.ParseText(
            Header14 + "workflows:\n  hello: scripts/hello.py\n  inline: |\n    print('x')\n    print('y')\n",
            ("scripts/hello.py", "print('hello')\n"));

        var hello = plan["workflows"]!["hello"]!;
        Assert.Equal("script", hello["plugin"]!.GetValue<string>());
        Assert.Equal("script_runner.tasks.execute_workflow", hello["operation"]!.GetValue<string>());
        Assert.Equal("scripts/hello.py", hello["parameters"]!["script_path"]!["default"]!.GetValue<string>());
        Assert.NotNull(plan["workflows"]!["inline"]!["parameters"]!["script_source"]);
        Assert.False(plan["workflows"]!["uninstall"]!["parameters"]!.AsObject().ContainsKey("recursive"));
    }

    [Theory]
    [InlineData("cloudify/types/types.yaml")]
    [InlineData("http://www.getcloudify.org/spec/cloudify/7.1.0.dev1/types.yaml")]
    [InlineData("https://getcloudify.org/spec/cloudify/5.0.5/types.yaml")]
    [InlineData("https://cloudify.co/spec/cloudify/6.4.0/types.yaml")]
    public void Parse_ResolvesBuiltInTypesOffline_ByEveryKnownName(string import)
    {
        var plan = TestBlueprints.ParseText(
            $"tosca_definitions_version: cloudify_dsl_1_3\nimports: [{import}]\nnode_templates:\n  vm: {{type: cloudify.nodes.Compute}}\n");

        Assert.Equal("vm", TestBlueprints.Node(plan, "vm")["host_id"]!.GetValue<string>());
        Assert.NotNull(plan["workflows"]!["install"]);
    }

    [Fact]
    public void Parse_RefusesOtherRemoteImports()
    {
        var ex = TestBlueprints.ParseError(
            "tosca_definitions_version: cloudify_dsl_1_4\nimports: [https://example.com/plugin.yaml]\n");

        Assert.Equal(13, ex.DslErrorCode);
        Assert.Equal((2, 11), (ex.Line, ex.Column));
    }
}
