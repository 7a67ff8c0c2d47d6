using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class DeploymentGroupVerbTests
{
    private static JsonObject Group(params string[] ids) => new()
    {
        ["id"] = "g1",
        ["description"] = "web tier",
        ["default_blueprint_id"] = "bp",
        ["deployment_ids"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]),
    };

    [Fact]
    public async Task GroupsCreate_PutsDescriptionBlueprintAndInputs()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PUT /api/v3.1/deployment-groups/g1", Group());

        var exit = await cli.RunAsync("deployments", "groups", "create", "g1", "-b", "bp", "--description", "web tier", "-i", "size=2");

        Assert.Equal(0, exit);
        Assert.Contains("Group g1 created", cli.Out, StringComparison.Ordinal);
        var body = JsonNode.Parse(Assert.Single(cli.Manager.Requests).BodyText)!;
        Assert.Equal(("bp", "web tier", "2"), (body["blueprint_id"]!.GetValue<string>(), body["description"]!.GetValue<string>(), body["default_inputs"]!["size"]!.ToString()));
        Assert.Null(body["deployment_ids"]);
    }

    [Fact]
    public async Task GroupsExtendAndShrink_PatchTheMembers_AndReportTheCount()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PATCH /api/v3.1/deployment-groups/g1", Group("a", "b"), Group("b"));

        var extended = await cli.RunAsync("deployments", "groups", "extend", "g1", "-d", "a", "-d", "b");
        var extendOut = cli.Out;
        var shrunk = await cli.RunAsync("deployments", "groups", "shrink", "g1", "-d", "a");

        Assert.Equal((0, 0), (extended, shrunk));
        Assert.Contains("Group g1 updated. It now contains 2 deployments", extendOut, StringComparison.Ordinal);
        Assert.Contains("Unlinked deployments a. Group g1 now has 1 deployments", cli.Out, StringComparison.Ordinal);
        Assert.Equal("""["a","b"]""", JsonNode.Parse(cli.Manager.Requests[0].BodyText)!["add"]!["deployment_ids"]!.ToJsonString());
        Assert.Equal("""["a"]""", JsonNode.Parse(cli.Manager.Requests[1].BodyText)!["remove"]!["deployment_ids"]!.ToJsonString());
    }

    [Fact]
    public async Task GroupsList_PrintsCountsInATable_AndDeleteSendsItsFlags()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/deployment-groups", FakeManager.List(Group("a", "b")));
        cli.Manager.On("DELETE /api/v3.1/deployment-groups/g1", _ => new HttpResponseMessage(HttpStatusCode.NoContent));

        var listed = await cli.RunAsync("deployments", "groups", "list");
        var listOut = cli.Out;
        var deleted = await cli.RunAsync("deployments", "groups", "delete", "g1", "--delete-deployments");

        Assert.Equal((0, 0), (listed, deleted));
        Assert.Contains("| g1 | 2           | web tier    | bp                   |", listOut, StringComparison.Ordinal);
        Assert.Equal("?delete_deployments=true&force=false", cli.Manager.Requests[^1].Uri.Query);
    }

    [Fact]
    public async Task GroupsExtend_WithoutDeployments_IsAUsageError()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("deployments", "groups", "extend", "g1");

        Assert.NotEqual(0, exit);
        Assert.Contains("--deployment-id", cli.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Manager.Requests);
    }
}
