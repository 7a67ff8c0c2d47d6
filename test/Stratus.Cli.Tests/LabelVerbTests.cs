using System.Text.Json.Nodes;
using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

/// <summary>cfy's label syntax (<c>k:v,k:v</c>) and the <c>deployments labels</c> verbs.</summary>
public sealed class LabelVerbTests
{
    private static JsonObject Deployment(params (string Key, string Value)[] labels) => new()
    {
        ["id"] = "dep",
        ["blueprint_id"] = "bp",
        ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)new JsonObject
        {
            ["key"] = l.Key,
            ["value"] = l.Value,
            ["created_at"] = "2026-11-26T06:07:41.789Z",
            ["created_by"] = "admin",
        })]),
    };

    [Fact]
    public void Parse_SplitsPairs_AndUnescapesCommasAndColonsInValues()
    {
        var labels = LabelsParser.Parse(@"env:prod,url:http\://x\,y, tier :web");

        Assert.Equal(
            [KeyValuePair.Create("env", (string?)"prod"), KeyValuePair.Create("url", (string?)"http://x,y"), KeyValuePair.Create("tier", (string?)"web")],
            labels);
    }

    [Theory]
    [InlineData("env", false, "The label `env` is invalid. Labels should be of the form <key>:<value>,<key>:<value>")]
    [InlineData("a:b:c", false, "The label `a:b:c` is invalid.")]
    [InlineData("env:", false, "The label `env:` is invalid.")]
    [InlineData("bad key:v", false, "The label `bad key:v` is invalid. The label's key contains illegal characters.")]
    [InlineData("k:say \"hi\"", false, "labels cannot contain control characters or `\"`")]
    [InlineData("a:b:c", true, "LABEL should be a mixed list of labels and keys.")]
    public void Parse_RefusesMalformedLabels_AsCfyDoes(string raw, bool allowOnlyKey, string message)
    {
        var error = Assert.Throws<UsageException>(() => LabelsParser.Parse(raw, allowOnlyKey));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AllowsBareKeys_ForDeletion()
    {
        Assert.Equal([KeyValuePair.Create("env", (string?)null), KeyValuePair.Create("t", (string?)"w")], LabelsParser.Parse("env,t:w", allowOnlyKey: true));
    }

    [Fact]
    public async Task DeploymentsCreate_SendsLabels_AsOneEntryObjects()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PUT /api/v3.1/deployments/dep", Deployment(("env", "prod")));

        var exit = await cli.RunAsync("deployments", "create", "dep", "-b", "bp", "--labels", "env:prod,env:dev");

        Assert.Equal(0, exit);
        var body = JsonNode.Parse(cli.Manager.Requests.Single(r => r.Method == HttpMethod.Put).BodyText)!;
        Assert.Equal("""[{"env":"prod"},{"env":"dev"}]""", body["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task DeploymentsLabelsAdd_PatchesTheUnion_AndDeleteByKeyDropsEveryValue()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/deployments/dep", Deployment(("env", "prod"), ("tier", "web")), Deployment(("env", "prod"), ("env", "dev"), ("tier", "web")));
        cli.Manager.OnJson("PATCH /api/v3.1/deployments/dep", Deployment(), Deployment());

        var added = await cli.RunAsync("deployments", "labels", "add", "env:dev,tier:web", "dep");
        var deleted = await cli.RunAsync("deployments", "labels", "delete", "env", "dep");

        Assert.Equal((0, 0), (added, deleted));
        var patches = cli.Manager.Requests.Where(r => r.Method == HttpMethod.Patch).Select(r => JsonNode.Parse(r.BodyText)!["labels"]!.ToJsonString()).ToList();
        Assert.Equal(["""[{"env":"prod"},{"tier":"web"},{"env":"dev"}]""", """[{"tier":"web"}]"""], patches);
    }

    [Fact]
    public async Task DeploymentsLabelsList_GroupsValuesByKey()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/deployments/dep", Deployment(("env", "prod"), ("env", "a:b"), ("tier", "web")));

        var exit = await cli.RunAsync("deployments", "labels", "list", "dep", "--json");

        Assert.Equal(0, exit);
        Assert.Equal("""{"env":["prod","a:b"],"tier":["web"]}""", JsonNode.Parse(cli.Out)!.ToJsonString());
    }

    [Fact]
    public async Task BlueprintsUpload_SendsLabels_AsKeyValueObjectsInParams()
    {
        using var cli = new CliRun();
        var folder = Directory.CreateDirectory(Path.Combine(cli.Home, "bp")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "blueprint.yaml"), "tosca_definitions_version: cloudify_dsl_1_4\n", TestContext.Current.CancellationToken);
        cli.Manager.OnJson("PUT /api/v3.1/blueprints/bp", Samples.Blueprint("bp"));

        var exit = await cli.RunAsync("blueprints", "upload", folder, "--labels", "team:core");

        Assert.Equal(0, exit);
        var request = cli.Manager.Requests.Single(r => r.Method == HttpMethod.Put);
        Assert.Contains("\"labels\":[{\"key\":\"team\",\"value\":\"core\"}]", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsLabelsAdd_PatchesTheBlueprint_WithTheUnion()
    {
        using var cli = new CliRun();
        var blueprint = Samples.Blueprint("bp");
        blueprint["labels"] = Deployment(("arch", "x86"))["labels"]!.DeepClone();
        cli.Manager.OnJson("GET /api/v3.1/blueprints/bp", blueprint);
        cli.Manager.OnJson("PATCH /api/v3.1/blueprints/bp", Samples.Blueprint("bp"));

        var exit = await cli.RunAsync("blueprints", "labels", "add", "os:linux", "bp");

        Assert.Equal(0, exit);
        var patch = cli.Manager.Requests.Single(r => r.Method == HttpMethod.Patch);
        Assert.Equal("""[{"arch":"x86"},{"os":"linux"}]""", JsonNode.Parse(patch.BodyText)!["labels"]!.ToJsonString());
        Assert.Contains("The following label(s) were added successfully to blueprint bp: os:linux", cli.Out, StringComparison.Ordinal);
    }
}
