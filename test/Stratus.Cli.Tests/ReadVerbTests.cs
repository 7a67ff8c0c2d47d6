using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class ReadVerbTests
{
    [Fact]
    public async Task BlueprintsList_PrintsParseableJson_WhenJsonIsGiven()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/blueprints", FakeManager.List(Samples.Blueprint("a"), Samples.Blueprint("b")));

        var exit = await cli.RunAsync("blueprints", "list", "--json");

        Assert.Equal(0, exit);
        var items = JsonNode.Parse(cli.Out)!.AsArray();
        Assert.Equal(["a", "b"], items.Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal("uploaded", items[0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task BlueprintsList_PrintsTable_ByDefault()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/blueprints", FakeManager.List(Samples.Blueprint("hello-world")));

        var exit = await cli.RunAsync("blueprints", "list");

        Assert.Equal(0, exit);
        Assert.StartsWith("Blueprints:\n+", cli.Out, StringComparison.Ordinal);
        Assert.Contains("| hello-world |", cli.Out, StringComparison.Ordinal);
        Assert.Contains("2026-11-26 06:07:41.789", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsList_ShortensLongDescriptions_LikeCfy()
    {
        using var cli = new CliRun();
        var blueprint = Samples.Blueprint("bp");
        blueprint["description"] = "Hello world for Stratus: one node whose bash scripts write a page";
        cli.Manager.OnJson("GET /api/v3.1/blueprints", FakeManager.List(blueprint));

        var exit = await cli.RunAsync("blueprints", "list");

        Assert.Equal(0, exit);
        Assert.Contains("| Hello world for St.. |", cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("bash scripts", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintsGet_Exits1WithCode_WhenBlueprintIsMissing()
    {
        using var cli = new CliRun();
        cli.Manager.On("GET /api/v3.1/blueprints/nope", _ => FakeManager.Json(
            HttpStatusCode.NotFound, Samples.Error("not_found_error", "Requested `Blueprint` with ID `nope` was not found")));

        var exit = await cli.RunAsync("blueprints", "get", "nope");

        Assert.Equal(1, exit);
        Assert.Equal("Error: Requested `Blueprint` with ID `nope` was not found [not_found_error]\n", cli.Error);
    }

    [Fact]
    public async Task DeploymentsOutputs_PrintsNameDescriptionAndValue()
    {
        using var cli = new CliRun();
        cli.Manager
            .OnJson("GET /api/v3.1/deployments/dep/outputs", new JsonObject
            {
                ["deployment_id"] = "dep",
                ["outputs"] = new JsonObject { ["page"] = "/tmp/x/index.html" },
            })
            .OnJson("GET /api/v3.1/deployments/dep", new JsonObject
            {
                ["id"] = "dep",
                ["outputs"] = new JsonObject { ["page"] = new JsonObject { ["description"] = "Open this file", ["value"] = new JsonObject() } },
            });

        var exit = await cli.RunAsync("deployments", "outputs", "dep");

        Assert.Equal(0, exit);
        Assert.Contains(" - \"page\":\n     Description: Open this file\n     Value: /tmp/x/index.html\n", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeInstancesList_FiltersByDeployment_AndPrintsJson()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/node-instances", FakeManager.List(new JsonObject
        {
            ["id"] = "web_page_abc123",
            ["node_id"] = "web_page",
            ["deployment_id"] = "dep",
            ["state"] = "started",
            ["runtime_properties"] = new JsonObject { ["page_path"] = "/tmp/x" },
            ["version"] = 4,
            ["index"] = 1,
        }));

        var exit = await cli.RunAsync("node-instances", "list", "-d", "dep", "--json");

        Assert.Equal(0, exit);
        Assert.Contains("deployment_id=dep", cli.Manager.Requests.Single().Uri.Query, StringComparison.Ordinal);
        var item = JsonNode.Parse(cli.Out)!.AsArray().Single()!;
        Assert.Equal("started", item["state"]!.GetValue<string>());
        Assert.Equal("/tmp/x", item["runtime_properties"]!["page_path"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnyVerb_SaysHowToLogIn_WhenManagerAnswers401()
    {
        using var cli = new CliRun();
        cli.Manager.On("GET /api/v3.1/deployments", _ => FakeManager.Json(
            HttpStatusCode.Unauthorized, Samples.Error("unauthorized_error", "User unauthorized: No authentication info provided")));

        var exit = await cli.RunAsync("deployments", "list");

        Assert.Equal(1, exit);
        Assert.Contains("[unauthorized_error]", cli.Error, StringComparison.Ordinal);
        Assert.Contains("stratus profiles use", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyVerb_Exits1WithReadableMessage_WhenManagerIsUnreachable()
    {
        using var cli = new CliRun();
        cli.Manager.On("GET /api/v3.1/deployments", _ => throw new HttpRequestException("Connection refused"));

        var exit = await cli.RunAsync("deployments", "list");

        Assert.Equal(1, exit);
        Assert.Contains("Error: cannot reach http://manager.test:8100: Connection refused", cli.Error, StringComparison.Ordinal);
    }
}
