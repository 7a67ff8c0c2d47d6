using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Deployment groups: create, change and delete them; members show them; get_group_capability reads them.</summary>
public sealed class DeploymentGroupTests
{
    private const string Api = "/api/v3.1/deployment-groups";

    private static string Member(string region, int port) => $$$"""
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        capabilities:
          region: {value: {{{region}}}}
          port: {value: {{{port}}}}
          where: {value: {get_sys: [deployment, id]}}
        """;

    private static async Task<ManagerFixture> StartAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        foreach (var (id, yaml) in new[] { ("web-b", Member("eu", 82)), ("web-a", Member("us", 81)), ("plain", "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\n") })
        {
            await manager.Client.UploadValidAsync(id, Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]));
            var created = await manager.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/deployments/{id}", new JsonObject { ["blueprint_id"] = id });
            Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        }

        return manager;
    }

    private static JsonObject PutBody(params string[] ids) => new()
    {
        ["visibility"] = "tenant",
        ["description"] = "web tier",
        ["blueprint_id"] = "web-a",
        ["default_inputs"] = new JsonObject { ["size"] = 2 },
        ["labels"] = null,
        ["filter_id"] = null,
        ["deployment_ids"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]),
        ["new_deployments"] = null,
        ["deployments_from_group"] = null,
    };

    private static string[] Ids(JsonNode? array) => [.. array!.AsArray().Select(i => i!.GetValue<string>())];

    [Fact]
    public async Task Put_CreatesAGroup_ThatGetListAndItsDeploymentsShow()
    {
        await using var manager = await StartAsync();

        var created = await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/g1", PutBody("web-b", "web-a"));
        var got = await manager.Client.GetJsonAsync($"{Api}/g1");
        var list = await manager.Client.GetJsonAsync($"{Api}?_include=id,deployment_ids");
        var member = await manager.Client.GetJsonAsync("/api/v3.1/deployments/web-a");
        var members = await manager.Client.GetJsonAsync("/api/v3.1/deployments?_include=id,deployment_groups&_sort=id");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(("g1", "web tier", "web-a", """{"size":2}""", "tenant", "admin", "default_tenant"), (
            got.Body!["id"]!.GetValue<string>(), got.Body["description"]!.GetValue<string>(), got.Body["default_blueprint_id"]!.GetValue<string>(),
            got.Body["default_inputs"]!.ToJsonString(), got.Body["visibility"]!.GetValue<string>(), got.Body["created_by"]!.GetValue<string>(),
            got.Body["tenant_name"]!.GetValue<string>()));
        Assert.Equal(["web-a", "web-b"], Ids(got.Body["deployment_ids"]));
        Assert.Equal("""[{"id":"g1","deployment_ids":["web-a","web-b"]}]""", list.Body!["items"]!.ToJsonString());
        Assert.Equal(["g1"], Ids(member.Body!["deployment_groups"]));
        Assert.Equal([[], ["g1"], ["g1"]], members.Body!["items"]!.AsArray().Select(d => Ids(d!["deployment_groups"])));
    }

    [Fact]
    public async Task Patch_AddsAndRemoves_AndAMissingDeploymentChangesNothing()
    {
        await using var manager = await StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/g1", PutBody("web-a"));

        var added = await manager.Client.SendAsync(HttpMethod.Patch, $"{Api}/g1", new JsonObject { ["add"] = new JsonObject { ["deployment_ids"] = new JsonArray("plain", "web-b") } });
        var removed = await manager.Client.SendAsync(HttpMethod.Patch, $"{Api}/g1", new JsonObject { ["remove"] = new JsonObject { ["deployment_ids"] = new JsonArray("web-a") } });
        var missing = await manager.Client.SendAsync(HttpMethod.Patch, $"{Api}/g1", new JsonObject { ["add"] = new JsonObject { ["deployment_ids"] = new JsonArray("web-a", "ghost") } });
        var noGroup = await manager.Client.SendAsync(HttpMethod.Patch, $"{Api}/nope", new JsonObject { ["add"] = new JsonObject { ["deployment_ids"] = new JsonArray("web-a") } });
        var now = await manager.Client.GetJsonAsync($"{Api}/g1");

        Assert.Equal(["plain", "web-a", "web-b"], Ids(added.Body!["deployment_ids"]));
        Assert.Equal(["plain", "web-b"], Ids(removed.Body!["deployment_ids"]));
        missing.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("Requested `Deployment` with ID `ghost` was not found", missing.Body!["message"]!.GetValue<string>());
        noGroup.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(["plain", "web-b"], Ids(now.Body!["deployment_ids"]));
    }

    [Fact]
    public async Task Put_ReplacesMembers_AndRefusesWhatIsNotSupportedByName()
    {
        await using var manager = await StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/g1", PutBody("web-a", "web-b"));

        var replaced = await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/g1", PutBody("plain"));
        var newDeployments = PutBody();
        newDeployments["new_deployments"] = new JsonArray(new JsonObject { ["id"] = "x" });
        var refused = await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/g2", newDeployments);
        var badBlueprint = PutBody();
        badBlueprint["blueprint_id"] = "ghost";
        var noBlueprint = await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/g3", badBlueprint);

        Assert.Equal(["plain"], Ids(replaced.Body!["deployment_ids"]));
        refused.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("new_deployments", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        noBlueprint.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(1, (await manager.Client.GetJsonAsync(Api)).Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_KeepsTheDeployments_OrDeletesThemWhenAsked()
    {
        await using var manager = await StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/keep", PutBody("web-a"));
        await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/drop", PutBody("web-b", "plain"));

        var kept = await manager.Client.SendAsync(HttpMethod.Delete, $"{Api}/keep");
        var dropped = await manager.Client.SendAsync(HttpMethod.Delete, $"{Api}/drop?delete_deployments=True&force=False");
        var gone = await manager.Client.GetJsonAsync($"{Api}/keep");
        var left = await manager.Client.GetJsonAsync("/api/v3.1/deployments?_include=id");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (kept.Status, dropped.Status));
        gone.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(["web-a"], left.Body!["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetGroupCapability_AnswersEveryMode_ThroughEvaluateFunctions()
    {
        await using var manager = await StartAsync();
        await manager.Client.SendAsync(HttpMethod.Put, $"{Api}/web", PutBody("web-b", "web-a", "plain"));
        var payload = new JsonObject
        {
            ["one"] = new JsonObject { ["get_group_capability"] = new JsonArray("web", "region") },
            ["pairs"] = new JsonObject { ["get_group_capability"] = new JsonArray("web", new JsonArray("region", "port")) },
            ["by_id"] = new JsonObject { ["get_group_capability"] = new JsonArray("web", "deployment_id:port") },
            ["raw"] = new JsonObject { ["get_group_capability"] = new JsonArray("web", "where") },
        };

        var evaluated = await manager.Client.SendAsync(
            HttpMethod.Post, "/api/v3.1/evaluate/functions", new JsonObject { ["deployment_id"] = "plain", ["payload"] = payload });
        var missing = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "plain", ["payload"] = new JsonObject { ["x"] = new JsonObject { ["get_group_capability"] = new JsonArray("ghost", "port") } } });

        Assert.True(evaluated.Status == HttpStatusCode.OK, evaluated.Body?.ToJsonString());
        Assert.Equal(
            """{"one":["us","eu"],"pairs":[["us",81],["eu",82]],"by_id":{"web-a":81,"web-b":82},"raw":["plain","plain"]}""",
            evaluated.Body!["payload"]!.ToJsonString());
        missing.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }
}
