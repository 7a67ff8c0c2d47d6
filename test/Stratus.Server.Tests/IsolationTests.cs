using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class IsolationTests
{
    [Fact]
    public async Task Blueprints_OfOneTenant_AreInvisibleFromAnother_AndIdsMayRepeat()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");

        var get = await other.GetJsonAsync("/api/v3.1/blueprints/bp");
        var list = await other.GetJsonAsync("/api/v3.1/blueprints");
        var upload = await other.UploadAsync("bp", Archives.Zip(Archives.ValidBlueprint()));

        get.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Empty(list.Body!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        Assert.Equal("other", upload.Body!["tenant_name"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(manager.ResourcesRoot, "blueprints", "other", "bp", "blueprint.yaml")));
    }

    [Fact]
    public async Task Viewer_CanRead_ButNotWrite()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await AddUserAsync(manager, "vera", "viewer", "default");
        using var vera = manager.CreateClient("vera", "vera-pass");

        var read = await vera.GetJsonAsync("/api/v3.1/blueprints");
        var write = await vera.UploadAsync("bp", Archives.Zip(Archives.ValidBlueprint()));

        Assert.Equal(HttpStatusCode.OK, read.Status);
        write.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task GlobalVisibility_IsForbidden_ToANonAdmin()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await AddUserAsync(manager, "uma", "user", "default");
        using var uma = manager.CreateClient("uma", "uma-pass");

        var response = await uma.UploadAsync("bp", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["visibility"] = "global" });

        response.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task CreatedBy_ComesFromTheCaller_NeverTheBody()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await AddUserAsync(manager, "uma", "user", "default");
        using var uma = manager.CreateClient("uma", "uma-pass");
        await uma.UploadValidAsync("bp");

        var created = await uma.SendAsync(
            HttpMethod.Put,
            "/api/v3.1/deployments/dep",
            new JsonObject { ["blueprint_id"] = "bp", ["inputs"] = new JsonObject { ["greeting"] = "x" }, ["created_by"] = "admin", ["tenant_name"] = "other" });

        Assert.Equal("uma", created.Body!["created_by"]!.GetValue<string>());
        Assert.Equal("default_tenant", created.Body!["tenant_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task PrivateResources_AreInvisible_ToOtherUsersOfTheTenant_ButNotToAdmins()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await AddUserAsync(manager, "carol", "user", "default");
        await AddUserAsync(manager, "dave", "user", "default");
        using var carol = manager.CreateClient("carol", "carol-pass");
        using var dave = manager.CreateClient("dave", "dave-pass");
        var uploaded = await carol.UploadAsync("bp", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["visibility"] = "private" });
        var created = await carol.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/dep", new JsonObject { ["blueprint_id"] = "bp", ["visibility"] = "private", ["inputs"] = new JsonObject { ["greeting"] = "x" } });
        Assert.True(uploaded.Status == HttpStatusCode.Created && created.Status == HttpStatusCode.Created, $"{uploaded.Status} {created.Status} {created.Body?.ToJsonString()}");

        var executionId = created.Body!["create_execution"]!.GetValue<string>();
        var logged = await carol.SendAsync(
            HttpMethod.Post, "/api/v3.1/events", new JsonObject { ["execution_id"] = executionId, ["logs"] = new JsonArray(new JsonObject { ["message"] = "secret step" }) });
        Assert.Equal(HttpStatusCode.Created, logged.Status);

        var blueprint = await dave.GetJsonAsync("/api/v3.1/blueprints/bp");
        var events = await dave.GetJsonAsync($"/api/v3.1/events?execution_id={executionId}");
        var blueprints = await dave.GetJsonAsync("/api/v3.1/blueprints");
        var deployments = await dave.GetJsonAsync("/api/v3.1/deployments");
        var instances = await dave.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep");
        var start = await dave.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" });
        var delete = await dave.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/dep");
        var asOwner = await carol.GetJsonAsync("/api/v3.1/deployments/dep");
        var asAdmin = await manager.Client.GetJsonAsync("/api/v3.1/blueprints");

        blueprint.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Empty(blueprints.Body!["items"]!.AsArray());
        Assert.Empty(deployments.Body!["items"]!.AsArray());
        Assert.Empty(instances.Body!["items"]!.AsArray());
        Assert.Empty(events.Body!["items"]!.AsArray());
        start.AssertError(HttpStatusCode.NotFound, "not_found_error");
        delete.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(HttpStatusCode.OK, asOwner.Status);
        Assert.Single(asAdmin.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task WrongMethod_Answers405_InCloudifyShape()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/blueprints", new JsonObject());

        response.AssertError(HttpStatusCode.MethodNotAllowed, "method_not_allowed_error");
    }

    [Fact]
    public async Task JsonBody_OverTheLimit_Answers413()
    {
        await using var manager = await ManagerFixture.StartAsync(options: new ManagerOptions { DataDir = "unused", MaxJsonBodyBytes = 1024 });

        var response = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/big", new JsonObject { ["blueprint_id"] = "bp", ["description"] = new string('x', 4096) });

        response.AssertError(HttpStatusCode.RequestEntityTooLarge, "bad_parameters_error");
    }

    private static async Task AddUserAsync(ManagerFixture manager, string name, string tenantRole, string systemRole)
    {
        var ct = TestContext.Current.CancellationToken;
        await manager.Store.CreateUserAsync(
            new User { Username = name, PasswordHash = PasswordHasher.Hash(name + "-pass"), Role = systemRole, CreatedAt = DateTimeOffset.UnixEpoch }, ct);
        await manager.Store.SetUserTenantRoleAsync(name, "default_tenant", tenantRole, ct);
    }
}
