namespace Stratus.Dsl.Tests;

public sealed class ParseErrorTests
{
    private const string Header = "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\n";

    [Theory]
    [InlineData("node_templates:\n  n:\n    type: no.such.Type\n", 7, 5, 11)]
    [InlineData("node_templates:\n  n:\n    type: cloudify.nodes.Root\n    properties:\n      colour: red\n", 106, 7, 7)]
    [InlineData("node_templates:\n  n:\n    type: cloudify.nodes.Root\n    relationships:\n      - {type: cloudify.relationships.depends_on, target: ghost}\n", 25, 7, 59)]
    [InlineData("node_templates:\n  n:\n    type: cloudify.nodes.Root\n    relationships:\n      - {type: no.such.rel, target: n}\n", 26, 7, 16)]
    [InlineData("node_templates:\n  n:\n    type: cloudify.nodes.Root\n    relationships:\n      - {type: cloudify.relationships.depends_on, target: n}\n", 23, 7, 59)]
    [InlineData("node_templates:\n  n:\n    type: cloudify.nodes.Root\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create: nothing/here.sh\n", 10, 8, 17)]
    [InlineData("node_templates:\n  n:\n    type: cloudify.nodes.Root\n    colour: red\n", 1, 6, 5)]
    [InlineData("plugins:\n  p: {executor: somewhere, install: false}\n", 18, 4, 17)]
    [InlineData("inputs:\n  i: {type: integer, default: 3, constraints: [{bigger_than: 2}]}\n", 103, 4, 49)]
    [InlineData("node_types:\n  a: {derived_from: b}\n  b: {derived_from: a}\n", 100, 4, 3)]
    [InlineData("inputs:\n  i: {type: integer, default: abc}\n", 105, 4, 31)]
    public void Parse_ReportsCloudifyErrorCodeAndPosition(string body, int code, int line, int column)
    {
        var ex = TestBlueprints.ParseError(Header + body);

        Assert.Equal(code, ex.DslErrorCode);
        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.Equal("blueprint.yaml", ex.File);
        Assert.StartsWith($"blueprint.yaml:{line}:{column}: ", ex.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeepsTheLastValue_OfARepeatedKey()
    {
        // PyYAML (and so Cloudify) lets a repeated mapping key replace the earlier value.
        var plan = TestBlueprints.ParseText(Header + "inputs:\n  a: {default: 1}\n  a: {default: 2}\n");

        Assert.Equal(2, plan["inputs"]!["a"]!["default"]!.GetValue<long>());
    }

    [Fact]
    public void Parse_RejectsTypeTags()
    {
        var ex = TestBlueprints.ParseError(Header + "inputs:\n  a: {default: !!python/object:os.system ls}\n");

        Assert.Equal(-1, ex.DslErrorCode);
        Assert.Equal(4, ex.Line);
        Assert.Contains("python/object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RequiresVersion_InMainFile()
    {
        var ex = TestBlueprints.ParseError("node_templates: {}\n");

        Assert.Equal(27, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_RejectsUnsupportedVersion()
    {
        var ex = TestBlueprints.ParseError("tosca_definitions_version: cloudify_dsl_9_0\n");

        Assert.Equal(29, ex.DslErrorCode);
        Assert.Equal((1, 28), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_ReportsMissingImport_WithItsPosition()
    {
        var ex = TestBlueprints.ParseError("tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - cloudify/types/types.yaml\n  - missing.yaml\n");

        Assert.Equal(13, ex.DslErrorCode);
        Assert.Equal((4, 5), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_RefusesImportsOutsideTheBlueprintDirectory()
    {
        var ex = TestBlueprints.ParseError("tosca_definitions_version: cloudify_dsl_1_4\nimports:\n  - ../../../../etc/passwd\n");

        Assert.Equal(13, ex.DslErrorCode);
    }

    [Fact]
    public void Parse_ReportsConflict_WhenTwoFilesDefineTheSameNodeType()
    {
        var ex = TestBlueprints.ParseError(
            "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml, other.yaml]\nnode_types:\n  t: {derived_from: cloudify.nodes.Root}\n",
            ("other.yaml", "node_types:\n  t: {derived_from: cloudify.nodes.Root}\n"));

        Assert.Equal(4, ex.DslErrorCode);
        Assert.Equal("other.yaml", ex.File);
    }

    [Fact]
    public void Parse_ReportsUnknownInput_InGetInput()
    {
        var ex = TestBlueprints.ParseError(Header + "outputs:\n  o: {value: {get_input: nope}}\n");

        Assert.Contains("unknown input 'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, ex.Line);
    }

    [Fact]
    public void Parse_RejectsBadInstanceCounts()
    {
        var ex = TestBlueprints.ParseError(
            Header + "node_templates:\n  n:\n    type: cloudify.nodes.Root\n    capabilities:\n      scalable:\n        properties: {default_instances: 5, max_instances: 2}\n");

        Assert.Equal(207, ex.DslErrorCode);
    }
}
