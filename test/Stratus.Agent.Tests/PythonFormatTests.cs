using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;

namespace Stratus.Agent.Tests;

public sealed class PythonFormatTests
{
    [Theory]
    [InlineData("\"text\"", "text")]
    [InlineData("8080", "8080")]
    [InlineData("1.5", "1.5")]
    [InlineData("true", "True")]
    [InlineData("null", "None")]
    [InlineData("{\"a\": [1, \"x\", null, false]}", "{'a': [1, 'x', None, False]}")]
    [InlineData("[\"it's\"]", "[\"it's\"]")]
    public void Str_MatchesPythonStr(string json, string expected) =>
        Assert.Equal(expected, PythonFormat.Str(JsonNode.Parse(json)));

    [Theory]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("\"\"")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("null")]
    public void CtxOutput_IsEmpty_ForFalsyValues(string json) =>
        Assert.Equal(string.Empty, PythonFormat.CtxOutput(JsonNode.Parse(json)));

    [Fact]
    public void JsonDumps_UsesPythonSeparators_AndEscapesNonAscii() =>
        Assert.Equal("{\"a\": [1, 2], \"b\": \"caf\\u00e9\"}", PythonFormat.JsonDumps(JsonNode.Parse("{\"a\":[1,2],\"b\":\"café\"}")));

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("true", "true")]
    [InlineData("3", "3")]
    [InlineData("{\"k\": \"v\"}", "{\"k\": \"v\"}")]
    public void EnvironmentValue_IsJsonForBooleansAndCollections_StrOtherwise(string json, string expected) =>
        Assert.Equal(expected, PythonFormat.EnvironmentValue(JsonNode.Parse(json)));
}
