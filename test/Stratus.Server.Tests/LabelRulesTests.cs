using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Server.Labels;

namespace Stratus.Server.Tests;

/// <summary>Cloudify's parse_label and get_labels_list, without a manager.</summary>
public sealed class LabelRulesTests
{
    [Fact]
    public void ParseList_LowerCasesKeys_AndExpandsValueLists()
    {
        var labels = LabelRules.ParseList(JsonNode.Parse("""[{"Env": "prod"}, {"tier": ["web", "db"]}, {"x~y": "a:b c"}]"""));

        Assert.Equal([("env", "prod"), ("tier", "web"), ("tier", "db"), ("x~y", "a:b c")], labels);
    }

    [Theory]
    [InlineData("csys-location-long", "-180", true)]
    [InlineData("csys-location-long", "180.5", false)]
    [InlineData("csys-location-lat", "north", false)]
    [InlineData("csys-obj-parent", "env", true)]
    [InlineData("k", "tab\there", false)]
    [InlineData("k", "emoji 🚀", true)]
    public void Parse_ChecksReservedKeysCoordinatesAndCharacters(string key, string value, bool valid)
    {
        var parse = () => LabelRules.Parse(key, value);

        if (valid)
        {
            Assert.Equal(key, parse().Key);
        }
        else
        {
            Assert.Equal(ErrorCodes.BadParameters, Assert.Throws<StratusException>(() => { _ = parse(); }).ErrorCode);
        }
    }

    [Fact]
    public void Parse_RefusesLongKeys_WithCloudifysMessage()
    {
        var error = Assert.Throws<StratusException>(() => LabelRules.Parse(new string('k', 257), "v"));

        Assert.Equal("The key or value is too long. Maximum allowed length is 256 characters", error.Message);
    }
}
