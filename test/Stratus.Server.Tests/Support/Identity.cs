using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Server.Tests.Support;

/// <summary>Creates tenants, users and memberships through the REST API as the admin does.</summary>
internal static class Identity
{
    public static async Task AddUserAsync(this ManagerFixture manager, string username, string password, string role = "default")
    {
        var created = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/users", new JsonObject { ["username"] = username, ["password"] = password, ["role"] = role });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
    }

    public static async Task AddTenantAsync(this ManagerFixture manager, string tenant)
    {
        var created = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/tenants/" + tenant);
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
    }

    public static async Task GrantAsync(this ManagerFixture manager, string username, string tenant, string role)
    {
        var added = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/tenants/users", new JsonObject { ["username"] = username, ["tenant_name"] = tenant, ["role"] = role });
        Assert.True(added.Status == HttpStatusCode.OK, added.Body?.ToJsonString());
    }

    /// <summary>A user with <paramref name="role"/> in default_tenant and a client logged in as it.</summary>
    public static async Task<HttpClient> MemberAsync(this ManagerFixture manager, string username, string tenantRole, string tenant = "default_tenant")
    {
        await manager.AddUserAsync(username, username + "-pass");
        await manager.GrantAsync(username, tenant, tenantRole);
        return manager.CreateClient(username, username + "-pass", tenant);
    }
}
