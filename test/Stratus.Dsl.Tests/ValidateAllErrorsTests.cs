namespace Stratus.Dsl.Tests;

public sealed class ValidateAllErrorsTests
{
    private const string Header = "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\n";

    private static IReadOnlyList<DslParseException> Validate(string yaml) =>
        new BlueprintParser().Validate(TestBlueprints.Write(yaml), TestContext.Current.CancellationToken);

    private static string Summary(IEnumerable<DslParseException> errors) =>
        string.Join("\n", errors.Select(e => $"[{e.DslErrorCode}] {e.Describe()}"));

    [Fact]
    public void Validate_ReturnsNothing_ForValidBlueprint()
    {
        var errors = new BlueprintParser().Validate(TestBlueprints.PathOf("hosted/blueprint.yaml"), TestContext.Current.CancellationToken);

        Assert.True(errors.Count == 0, Summary(errors));
    }

    [Fact]
    public void Validate_ReportsEveryIndependentError_InParseOrder()
    {
        var yaml = Header + """
            inputs:
              port: {type: integer, default: abc}
              name: {type: string, default: ok}
              colour: {type: no_such_type}
            node_templates:
              a:
                type: no.such.Type
              b:
                type: cloudify.nodes.Root
                properties:
                  colour: red
              c:
                type: cloudify.nodes.Root
                relationships:
                  - {type: cloudify.relationships.depends_on, target: ghost}
              d:
                type: cloudify.nodes.Root
            outputs:
              out1: {description: no value}
              out2: {value: {get_input: name}}
            workflows:
              wf: nowhere.tasks.run
            """;

        var errors = Validate(yaml);

        Assert.Equal([105, 103, 7, 106, 25, 21, 1], errors.Select(e => e.DslErrorCode));
        Assert.All(errors, e => Assert.True(e.Line > 0, e.Describe()));
        var first = TestBlueprints.ParseError(yaml);
        Assert.Equal(first.Describe(), errors[0].Describe());
    }

    [Fact]
    public void Validate_ReportsBrokenNodeTypeOnce_NotForEachTemplate()
    {
        var yaml = Header + """
            node_types:
              acme.Base: {derived_from: no.such.Parent}
              acme.Child: {derived_from: acme.Base}
              acme.Ops:
                derived_from: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create: missing_plugin.tasks.create
            node_templates:
              a1: {type: acme.Base}
              a2: {type: acme.Child}
              a3: {type: acme.Child}
              o1: {type: acme.Ops}
              o2: {type: acme.Ops}
              o3: {type: acme.Ops}
              ok: {type: cloudify.nodes.Root}
              dependent:
                type: cloudify.nodes.Root
                relationships:
                  - {type: cloudify.relationships.depends_on, target: a1}
            outputs:
              ip: {value: {get_attribute: [a2, ip]}}
            """;

        var errors = Validate(yaml);

        Assert.True(errors.Count == 2, Summary(errors));
        Assert.Equal([103, 10], errors.Select(e => e.DslErrorCode));
    }

    [Fact]
    public void Validate_SkipsTemplatesOfBrokenDataType()
    {
        var yaml = Header + """
            data_types:
              acme.Broken:
                properties:
                  port: {type: integer, required: maybe}
              acme.Wrapper:
                properties:
                  inner: {type: acme.Broken}
            node_types:
              acme.Server:
                derived_from: cloudify.nodes.Root
                properties:
                  config: {type: acme.Wrapper}
            node_templates:
              s1: {type: acme.Server, properties: {config: {inner: {port: 1}}}}
              s2: {type: acme.Server, properties: {config: {other: 1}}}
            """;

        var errors = Validate(yaml);

        Assert.True(errors.Count == 1, Summary(errors));
        Assert.Equal(1, errors[0].DslErrorCode);
    }

    [Fact]
    public void Validate_StopsAtYamlSyntaxError()
    {
        var errors = Validate(Header + "node_templates:\n  a: {type: [unclosed\n");

        Assert.Single(errors);
    }
}
