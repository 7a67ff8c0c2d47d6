using System.Text.Json.Nodes;
using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

public sealed class InputsParserTests
{
    [Fact]
    public void Parse_KeepsJsonTypes_ForKeyValuePairs()
    {
        var inputs = InputsParser.Parse(["count=2", "enabled=true", "name=web", "ports=[80,443]", "version=1.2.3"]);

        Assert.Equal(2, inputs["count"]!.GetValue<int>());
        Assert.True(inputs["enabled"]!.GetValue<bool>());
        Assert.Equal("web", inputs["name"]!.GetValue<string>());
        Assert.Equal(2, inputs["ports"]!.AsArray().Count);
        Assert.Equal("1.2.3", inputs["version"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_SplitsSemicolons_AndLaterValuesWin()
    {
        var inputs = InputsParser.Parse(["a=1;b=x", "b=y"]);

        Assert.Equal(1, inputs["a"]!.GetValue<int>());
        Assert.Equal("y", inputs["b"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_KeepsEverythingAfterFirstEquals_WhenValueHasEquals()
    {
        var inputs = InputsParser.Parse(["greeting=a=b"]);

        Assert.Equal("a=b", inputs["greeting"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_ReadsTypedValues_FromYamlFile()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("stratus-inputs-").FullName, "inputs.yaml");
        File.WriteAllText(file, "count: 3\nname: '007'\nflag: yes\nlist:\n  - a\n  - 1\nnested: {k: v}\n");

        var inputs = InputsParser.Parse([file]);

        Assert.Equal(3, inputs["count"]!.GetValue<long>());
        Assert.Equal("007", inputs["name"]!.GetValue<string>());
        Assert.True(inputs["flag"]!.GetValue<bool>());
        Assert.Equal("a", inputs["list"]![0]!.GetValue<string>());
        Assert.Equal("v", inputs["nested"]!["k"]!.GetValue<string>());
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public void Parse_ReadsInlineJsonObject()
    {
        var inputs = InputsParser.Parse(["{\"a\": {\"b\": [1]}}"]);

        Assert.Equal(1, inputs["a"]!["b"]![0]!.GetValue<int>());
    }

    [Fact]
    public void Parse_RejectsText_ThatIsNoInputForm()
    {
        var error = Assert.Throws<UsageException>(() => InputsParser.Parse(["no-such-file.yaml"]));

        Assert.Contains("no-such-file.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scalar_KeepsEmptyString_WhenValueIsEmpty()
    {
        Assert.Equal("", InputsParser.Scalar("")!.GetValue<string>());
        Assert.IsType<JsonValue>(InputsParser.Scalar("-x"), exactMatch: false);
    }
}
