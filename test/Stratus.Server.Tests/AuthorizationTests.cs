using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class AuthorizationTests
{
    [Fact]
    public async Task Viewer_ReadsButCannotWrite_WithCloudifysMessage()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var viewer = await manager.MemberAsync("vera", "viewer");

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetJsonAsync("/api/v3.1/blueprints")).Status);
        var refused = await viewer.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v" });

        refused.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal("User `vera` is not permitted to perform the action secret_create in the tenant `default_tenant`", refused.Body!["message"]!.GetValue<string>());
        Assert.Empty((await manager.Client.GetJsonAsync("/api/v3.1/secrets")).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Operations_CanCreateDeploymentsButNotUploadBlueprintsOrSecrets()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        using var ops = await manager.MemberAsync("olga", "operations");

        var upload = await ops.UploadAsync("bp2", Archives.Zip(Archives.ValidBlueprint()));
        var secret = await ops.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v" });

        upload.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Contains("blueprint_upload", upload.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        secret.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        await ops.CreateDeploymentAsync("bp", "d1");
    }

    [Fact]
    public async Task UserWithoutARoleInTheTenant_IsRefusedTenantResources_ButReadsItsOwnProfile()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("other");
        using var bob = await manager.MemberAsync("bob", "user", tenant: "other");
        using var bobInDefault = manager.CreateClient("bob", "bob-pass", "default_tenant");

        var refused = await bobInDefault.GetJsonAsync("/api/v3.1/blueprints");
        var self = await bobInDefault.GetJsonAsync("/api/v3.1/user");
        var tenants = await bobInDefault.GetJsonAsync("/api/v3.1/tenants");

        refused.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal("User `bob` is not permitted to perform the action blueprint_list in the tenant `default_tenant`", refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, self.Status);
        Assert.Equal(["other"], tenants.Body!["items"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v3.1/blueprints")).Status);
    }

    [Fact]
    public async Task GroupRoles_AddToTheUsersOwn_InTheTenantAndSystemWide()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var gina = await manager.MemberAsync("gina", "viewer");
        await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/user-groups", new JsonObject { ["group_name"] = "devs", ["role"] = "default" });
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/user-groups/users", new JsonObject { ["username"] = "gina", ["group_name"] = "devs" });
        Assert.Equal(HttpStatusCode.Forbidden, (await gina.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v" })).Status);

        var granted = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/tenants/user-groups", new JsonObject { ["group_name"] = "devs", ["tenant_name"] = "default_tenant", ["role"] = "user" });
        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Equal(HttpStatusCode.OK, (await gina.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/k", new JsonObject { ["value"] = "v" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gina.GetJsonAsync("/api/v3.1/users")).Status);

        await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/user-groups/devs", new JsonObject { ["role"] = "sys_admin" });
        Assert.Equal(HttpStatusCode.OK, (await gina.GetJsonAsync("/api/v3.1/users")).Status);
    }

    [Fact]
    public async Task SystemEndpoints_NameNoTenant_WhenRefused()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var manager1 = await manager.MemberAsync("max", "manager");

        var refused = await manager1.SendAsync(HttpMethod.Post, "/api/v3.1/tenants/t2");

        refused.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal("User `max` is not permitted to perform the action tenant_create", refused.Body!["message"]!.GetValue<string>());
        Assert.Null(await manager.Store.GetTenantAsync("t2", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Permissions_ListTheMatrixToAdmins_AndAnswer401ToOthers()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var max = await manager.MemberAsync("max", "manager");

        var all = await manager.Client.GetJsonAsync("/api/v3.1/permissions");
        var viewer = await manager.Client.GetJsonAsync("/api/v3.1/permissions/viewer");
        var unknown = await manager.Client.GetJsonAsync("/api/v3.1/permissions/emperor");
        var refused = await max.GetJsonAsync("/api/v3.1/permissions");

        Assert.Contains(all.Body!["items"]!.AsArray(), i => i!["role"]!.GetValue<string>() == "operations" && i["permission"]!.GetValue<string>() == "deployment_create");
        var viewerPermissions = viewer.Body!["items"]!.AsArray().Select(i => i!["permission"]!.GetValue<string>()).ToList();
        Assert.Contains("blueprint_list", viewerPermissions);
        Assert.DoesNotContain("blueprint_upload", viewerPermissions);
        Assert.All(viewer.Body!["items"]!.AsArray(), i => Assert.Equal("viewer", i!["role"]!.GetValue<string>()));
        unknown.AssertError(HttpStatusCode.NotFound, "not_found_error");
        refused.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
    }

    [Fact]
    public async Task InvalidTenantHeader_Answers403WithCloudifysMessage()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var client = manager.CreateClient("admin", ManagerFixture.AdminPassword, "nope");

        var response = await client.GetJsonAsync("/api/v3.1/blueprints");

        response.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal("Authorization failed: Tried to authenticate with invalid tenant name: nope", response.Body!["message"]!.GetValue<string>());
    }
}
