using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class DeploymentTests
{
    [Fact]
    public async Task Create_Answers201WithCloudifyFields_AndNodesAndInstances()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        var created = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/dep", new JsonObject { ["blueprint_id"] = "bp", ["inputs"] = new JsonObject { ["greeting"] = "hi" } });

        Assert.True(created.Status == HttpStatusCode.Created, $"{(int)created.Status} {created.Body?.ToJsonString()}");
        WireFiles.AssertSameFields(WireFiles.Body("15-deployment-create"), created.Body, "created deployment");
        Assert.Equal("inactive", created.Body!["installation_status"]!.GetValue<string>());
        Assert.Equal(2, created.Body!["inputs"]!["count"]!.GetValue<int>());
        Assert.Contains(created.Body!["workflows"]!.AsArray(), w => w!["name"]!.GetValue<string>() == "install");
        WireFiles.AssertSameFields(WireFiles.Body("16-deployment-get")["workflows"]![0], created.Body!["workflows"]![0], "workflow");

        var nodes = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=dep");
        WireFiles.AssertSameFields(WireFiles.Body("18-nodes-list")["items"]![0], nodes.Body!["items"]![0], "node");
        Assert.Equal(["app", "db"], nodes.Body!["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var instances = await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep");
        var items = instances.Body!["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        WireFiles.AssertSameFields(WireFiles.Body("19-node-instances-list")["items"]![0], items[0], "node instance");
        Assert.All(items, i => Assert.Equal("uninitialized", i!["state"]!.GetValue<string>()));
        Assert.Equal([1, 2], items.Where(i => i!["node_id"]!.GetValue<string>() == "app").Select(i => i!["index"]!.GetValue<int>()).Order());
        var app = items.First(i => i!["node_id"]!.GetValue<string>() == "app")!;
        Assert.Equal("db", app["relationships"]![0]!["target_name"]!.GetValue<string>());

        var executions = await manager.Client.GetJsonAsync("/api/v3.1/executions?deployment_id=dep&_include_system_workflows=true");
        var create = Assert.Single(executions.Body!["items"]!.AsArray())!;
        Assert.Equal("create_deployment_environment", create["workflow_id"]!.GetValue<string>());
        Assert.Equal("completed", create["status_display"]!.GetValue<string>());
        Assert.Equal(create["id"]!.GetValue<string>(), created.Body!["create_execution"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Answers400MissingInput_AndLeavesNothing()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        var response = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", new JsonObject { ["blueprint_id"] = "bp", ["inputs"] = new JsonObject() });

        response.AssertError(HttpStatusCode.BadRequest, "missing_required_deployment_input_error");
        Assert.Contains("greeting", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Client.GetJsonAsync("/api/v3.1/deployments/d1")).Status);
    }

    [Fact]
    public async Task Create_Answers400_ForAnInputViolatingItsConstraint()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        var response = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/d2", new JsonObject { ["blueprint_id"] = "bp", ["inputs"] = new JsonObject { ["greeting"] = "x", ["count"] = 9 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("count", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Client.GetJsonAsync("/api/v3.1/deployments/d2")).Status);
    }

    [Fact]
    public async Task Create_Answers404_ForAMissingBlueprint_And409_ForADuplicate()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");

        var missing = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/x", new JsonObject { ["blueprint_id"] = "nope" });
        var duplicate = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/dep", new JsonObject { ["blueprint_id"] = "bp", ["inputs"] = new JsonObject { ["greeting"] = "hi" } });

        missing.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("Requested `Blueprint` with ID `nope` was not found", missing.Body!["message"]!.GetValue<string>());
        duplicate.AssertError(HttpStatusCode.Conflict, "conflict_error");
    }

    [Fact]
    public async Task Create_Answers400BadParameters_ForMalformedJson()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await manager.Client.PutAsync("/api/v3.1/deployments/junk", content, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_parameters_error", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Outputs_AndCapabilities_AreEvaluated()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");

        var outputs = await manager.Client.GetJsonAsync("/api/v3.1/deployments/dep/outputs");
        var capabilities = await manager.Client.GetJsonAsync("/api/v3.1/deployments/dep/capabilities");

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["deployment_id"] = "dep", ["outputs"] = new JsonObject { ["message"] = "hello world" } }, outputs.Body), outputs.Body?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["deployment_id"] = "dep", ["capabilities"] = new JsonObject { ["endpoint"] = "hello" } }, capabilities.Body), capabilities.Body?.ToJsonString());
    }

    [Fact]
    public async Task List_PaginatesWithCloudifyMetadata()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "a");
        await manager.Client.CreateDeploymentAsync("bp", "b");
        await manager.Client.CreateDeploymentAsync("bp", "c");

        var response = await manager.Client.GetJsonAsync("/api/v3.1/deployments?_offset=1&_size=1&_sort=-id");

        Assert.Equal(["b"], response.Body!["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.True(
            JsonNode.DeepEquals(new JsonObject { ["total"] = 3, ["size"] = 1, ["offset"] = 1 }, response.Body!["metadata"]!["pagination"]),
            response.Body!["metadata"]!.ToJsonString());
        Assert.Null(response.Body!["metadata"]!["filtered"]);
    }

    [Fact]
    public async Task Delete_Answers204_ThenTheDeploymentIsGone()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");

        var deleted = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/dep");
        var after = await manager.Client.GetJsonAsync("/api/v3.1/deployments/dep");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.True(JsonNode.DeepEquals(WireFiles.Body("50-deployment-get-deleted"), after.Body), after.Body?.ToJsonString());
    }

    [Fact]
    public async Task Delete_RefusesWhileNodesAreLive_UnlessForced()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");
        var instance = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep&node_id=db")).Body!["items"]![0]!["id"]!.GetValue<string>();
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/node-instances/{instance}", new JsonObject { ["version"] = 1, ["state"] = "started" });

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/dep");
        var forced = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/dep?force=true");

        refused.AssertError(HttpStatusCode.BadRequest, "dependent_exists_error");
        Assert.Contains(instance, refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, forced.Status);
    }

    [Fact]
    public async Task Deployments_AreInvisible_FromAnotherTenant()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");

        var get = await other.GetJsonAsync("/api/v3.1/deployments/dep");
        var list = await other.GetJsonAsync("/api/v3.1/deployments");
        var instances = await other.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep");

        get.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Empty(list.Body!["items"]!.AsArray());
        Assert.Empty(instances.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_Answers400IllegalAction_WhenWiderThanItsBlueprint()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadAsync("private-bp", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["visibility"] = "private" });

        var response = await manager.Client.SendAsync(
            HttpMethod.Put,
            "/api/v3.1/deployments/wide",
            new JsonObject { ["blueprint_id"] = "private-bp", ["visibility"] = "tenant", ["inputs"] = new JsonObject { ["greeting"] = "x" } });

        response.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
    }
}
