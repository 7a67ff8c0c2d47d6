using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class NodeInstanceTests
{
    [Fact]
    public async Task Patch_StoresRuntimeProperties_AndIncrementsTheVersion()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var id = await DbInstanceAsync(manager);

        var patched = await manager.Client.SendAsync(
            HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["version"] = 1, ["runtime_properties"] = new JsonObject { ["port"] = 6543 } });
        var fetched = await manager.Client.GetJsonAsync($"/api/v3.1/node-instances/{id}");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        WireFiles.AssertSameFields(WireFiles.Body("30-node-instance-patch"), patched.Body, "patched instance");
        Assert.Equal(2, patched.Body!["version"]!.GetValue<int>());
        Assert.Equal(6543, fetched.Body!["runtime_properties"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patch_Answers409Conflict_WithAStaleVersion()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var id = await DbInstanceAsync(manager);
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["version"] = 1, ["state"] = "creating" });
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["version"] = 2, ["state"] = "created" });

        var stale = await manager.Client.SendAsync(
            HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["version"] = 1, ["runtime_properties"] = new JsonObject { ["x"] = 1 } });

        stale.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal("Node instance update conflict [current version=3, update version=1]", stale.Body!["message"]!.GetValue<string>());
        var fetched = await manager.Client.GetJsonAsync($"/api/v3.1/node-instances/{id}");
        Assert.Null(fetched.Body!["runtime_properties"]!["x"]);
        Assert.Equal("created", fetched.Body!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_AppliesAStaleVersion_WhenForced()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var id = await DbInstanceAsync(manager);
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["version"] = 1, ["state"] = "creating" });

        var forced = await manager.Client.SendAsync(
            HttpMethod.Patch, $"/api/v3.1/node-instances/{id}?force=true", new JsonObject { ["version"] = 1, ["state"] = "created" });

        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Equal("created", forced.Body!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_Answers400_WithoutAVersion()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var id = await DbInstanceAsync(manager);

        var response = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["state"] = "started" });

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }

    [Fact]
    public async Task Get_Answers404_ForAnInstanceOfAnotherTenant()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var id = await DbInstanceAsync(manager);
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");

        var get = await other.GetJsonAsync($"/api/v3.1/node-instances/{id}");
        var patch = await other.SendAsync(HttpMethod.Patch, $"/api/v3.1/node-instances/{id}", new JsonObject { ["version"] = 1, ["state"] = "started" });

        get.AssertError(HttpStatusCode.NotFound, "not_found_error");
        patch.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    private static async Task<string> DbInstanceAsync(ManagerFixture manager) =>
        (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep&node_id=db")).Body!["items"]![0]!["id"]!.GetValue<string>();
}
