using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

public sealed class ArgumentParserTests
{
    private static readonly ArgumentParser Parser = new(CommandCatalog.All);

    [Fact]
    public void Parse_ReadsPositionalAndRepeatedOptions_WhenLineIsValid()
    {
        var parsed = Parser.Parse(["deployments", "create", "web", "-b", "bp", "-i", "a=1", "--inputs", "b=2"]);

        Assert.Equal("deployments create", parsed.Spec.Path);
        Assert.Equal("web", parsed.OptionalArgument("ID"));
        Assert.Equal("bp", parsed.Value("blueprint-id"));
        Assert.Equal(["a=1", "b=2"], parsed.Values("inputs"));
    }

    [Fact]
    public void Parse_AcceptsInlineValueAndFlags_WhenGivenWithEquals()
    {
        var parsed = Parser.Parse(["executions", "start", "install", "--deployment-id=dep", "--force", "--timeout=30"]);

        Assert.Equal("dep", parsed.Value("deployment-id"));
        Assert.True(parsed.Has("force"));
        Assert.Equal(30, parsed.Int("timeout"));
    }

    [Fact]
    public void Parse_NamesTheFlag_WhenFlagIsUnknown()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["blueprints", "list", "--bogus"]));

        Assert.Contains("'--bogus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("blueprints list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NamesTheVerbAndListsKnownOnes_WhenVerbIsUnknown()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["blueprints", "explode"]));

        Assert.Contains("'blueprints explode'", error.Message, StringComparison.Ordinal);
        Assert.Contains("upload", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NamesTheCommand_WhenGroupIsUnknown()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["snapshots", "list"]));

        Assert.Contains("'snapshots'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SaysWhichValueIsMissing_WhenOptionEndsTheLine()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["blueprints", "upload", "x", "-b"]));

        Assert.Contains("'-b' needs a value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NamesTheMissingArgument_WhenPositionalIsAbsent()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["blueprints", "get"]));

        Assert.Contains("missing argument ID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsExtraPositional_WhenVerbTakesNone()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["blueprints", "list", "extra"]));

        Assert.Contains("'extra'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsSecondValue_WhenOptionIsNotRepeatable()
    {
        var error = Assert.Throws<UsageException>(() => Parser.Parse(["install", "p", "-b", "a", "-b", "b"]));

        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int_ReportsTheOption_WhenValueIsNotANumber()
    {
        var parsed = Parser.Parse(["manager", "start", "--port", "eighty"]);

        var error = Assert.Throws<UsageException>(() => parsed.Int("port"));

        Assert.Contains("--port", error.Message, StringComparison.Ordinal);
        Assert.Contains("eighty", error.Message, StringComparison.Ordinal);
    }
}
