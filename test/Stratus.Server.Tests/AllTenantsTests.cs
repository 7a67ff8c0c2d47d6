using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Tests.Support;
using Stratus.Storage;

namespace Stratus.Server.Tests;

/// <summary><c>_all_tenants=true</c> on the list endpoints: the tenants come from the caller's memberships.</summary>
public sealed class AllTenantsTests
{
    private static readonly string[] Tenants = ["t1", "t2", "t3"];

    /// <summary>A blueprint, a deployment, a secret and a deployment group in each of t1, t2, t3; bob is a user in t1 and a viewer of t2 through a group.</summary>
    private static async Task<ManagerFixture> StartAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        foreach (var tenant in Tenants)
        {
            await manager.AddTenantAsync(tenant);
            using var admin = manager.CreateClient("admin", ManagerFixture.AdminPassword, tenant);
            await admin.UploadValidAsync("bp");
            await admin.CreateDeploymentAsync("bp", "dep");
            var secret = await admin.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/key_" + tenant, new JsonObject { ["value"] = "v" });
            Assert.True(secret.Status == HttpStatusCode.OK, secret.Body?.ToJsonString());
            var group = await admin.SendAsync(HttpMethod.Put, "/api/v3.1/deployment-groups/g_" + tenant, new JsonObject { ["deployment_ids"] = new JsonArray("dep") });
            Assert.True(group.Status == HttpStatusCode.OK, group.Body?.ToJsonString());
        }

        await manager.AddUserAsync("bob", "bob-pass");
        await manager.GrantAsync("bob", "t1", "user");
        await manager.Store.CreateUserGroupAsync(new UserGroup { Name = "ops", Role = "default", CreatedAt = DateTimeOffset.UnixEpoch }, ct);
        await manager.Store.AddUserToGroupAsync("bob", "ops", ct);
        await manager.Store.SetGroupTenantRoleAsync("ops", "t2", "viewer", GrantMode.Add, ct);
        return manager;
    }

    private static async Task<List<string>> TenantsListedAsync(HttpClient client, string path)
    {
        var response = await client.GetJsonAsync(path);
        Assert.True(response.Status == HttpStatusCode.OK, $"{path}: {(int)response.Status} {response.Body?.ToJsonString()}");
        return [.. response.Body!["items"]!.AsArray().Select(i => i!["tenant_name"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("/api/v3.1/blueprints")]
    [InlineData("/api/v3.1/deployments")]
    [InlineData("/api/v3.1/executions")]
    [InlineData("/api/v3.1/nodes")]
    [InlineData("/api/v3.1/node-instances")]
    [InlineData("/api/v3.1/secrets")]
    [InlineData("/api/v3.1/deployment-groups")]
    public async Task AllTenants_ListsTheCallersTenants_DirectOrByGroup_OnlyWithTheFlag(string path)
    {
        await using var manager = await StartAsync();
        using var bob = manager.CreateClient("bob", "bob-pass", "t1");

        Assert.Equal(["t1", "t2"], await TenantsListedAsync(bob, path + "?_all_tenants=true"));
        Assert.Equal(["t1"], await TenantsListedAsync(bob, path));
        Assert.Equal(["t1"], await TenantsListedAsync(bob, path + "?_all_tenants=false"));
    }

    [Fact]
    public async Task AllTenants_RendersEachRowFromItsOwnTenant()
    {
        await using var manager = await StartAsync();
        using var bob = manager.CreateClient("bob", "bob-pass", "t1");

        var deployments = (await bob.GetJsonAsync("/api/v3.1/deployments?_all_tenants=true")).Body!["items"]!.AsArray();
        var executions = (await bob.GetJsonAsync("/api/v3.1/executions?_all_tenants=true&deployment_id=dep")).Body!["items"]!.AsArray();

        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d => Assert.Equal($"[\"g_{d!["tenant_name"]}\"]", d["deployment_groups"]!.ToJsonString()));
        Assert.All(deployments, d => Assert.NotNull(d!["latest_execution_status"]));
        Assert.Equal(2, executions.Count);
        Assert.All(executions, e => Assert.Equal("dep", e!["deployment_display_name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AllTenants_NeverShowsATenantTheCallerIsNotIn_ButASysAdminSeesEvery()
    {
        await using var manager = await StartAsync();
        using var eve = await manager.MemberAsync("eve", "manager", "t3");

        Assert.Equal(["t3"], await TenantsListedAsync(eve, "/api/v3.1/deployments?_all_tenants=true"));
        Assert.Empty(await TenantsListedAsync(eve, "/api/v3.1/secrets?_all_tenants=true&tenant_name=t1"));
        Assert.Equal(Tenants, await TenantsListedAsync(manager.Client, "/api/v3.1/blueprints?_all_tenants=true"));
        Assert.Empty(await TenantsListedAsync(manager.Client, "/api/v3.1/blueprints"));
    }

    [Fact]
    public async Task AllTenants_PaginatesAcrossTenants_WithTheTotalOfEveryTenant()
    {
        await using var manager = await StartAsync();
        using var bob = manager.CreateClient("bob", "bob-pass", "t1");

        var first = await bob.GetJsonAsync("/api/v3.1/blueprints?_all_tenants=true&_size=1");
        var second = await bob.GetJsonAsync("/api/v3.1/blueprints?_all_tenants=true&_size=1&_offset=1");

        Assert.Equal(2, first.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
        Assert.Equal("t1", first.Body!["items"]![0]!["tenant_name"]!.GetValue<string>());
        Assert.Equal("t2", second.Body!["items"]![0]!["tenant_name"]!.GetValue<string>());
        Assert.Single(second.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task AllTenants_KeepsOthersPrivateResourcesHidden_ExceptWhereTheCallerIsManager()
    {
        await using var manager = await StartAsync();
        using var carol = await manager.MemberAsync("carol", "user", "t2");
        var uploaded = await carol.UploadAsync("carols", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["visibility"] = "private" });
        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        using var mike = await manager.MemberAsync("mike", "user", "t1");
        await manager.GrantAsync("mike", "t2", "manager");
        using var bob = manager.CreateClient("bob", "bob-pass", "t1");

        var asBob = await bob.GetJsonAsync("/api/v3.1/blueprints?_all_tenants=true&id=carols");
        var asMike = await mike.GetJsonAsync("/api/v3.1/blueprints?_all_tenants=true&id=carols");
        var asCarol = await TenantsListedAsync(
            manager.CreateClient("carol", "carol-pass", "t2"), "/api/v3.1/blueprints?_all_tenants=true&id=carols");

        Assert.Empty(asBob.Body!["items"]!.AsArray());
        Assert.Equal(0, asBob.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
        Assert.Equal("t2", Assert.Single(asMike.Body!["items"]!.AsArray())!["tenant_name"]!.GetValue<string>());
        Assert.Equal(["t2"], asCarol);
    }

    [Fact]
    public async Task AllTenants_RefusesAValueThatIsNotABoolean()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/deployments?_all_tenants=maybe");

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }
}
