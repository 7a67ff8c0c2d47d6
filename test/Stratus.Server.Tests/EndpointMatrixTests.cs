using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>
/// Every route the server maps (read from its endpoint data source) against every caller kind: nobody, a user of
/// another tenant, an unknown tenant, and each of Cloudify's roles — refused with Cloudify's status and error_code
/// exactly when the permission matrix says so.
/// </summary>
public sealed class EndpointMatrixTests
{
    private static readonly string[] TenantRoles = ["manager", "user", "operations", "viewer"];

    [Fact]
    public async Task EveryRoute_RefusesCallersWithoutThePermission_AndLetsPermittedRolesThrough()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var routes = RouteCatalog.All(manager);
        Assert.True(routes.Count > 120, $"only {routes.Count} routes found");
        Assert.Equal(["GET /api/v3.1/ok", "GET /api/v3/ok"], routes.Where(r => r.Anonymous).Select(r => r.ToString()));

        await manager.AddTenantAsync("other");
        var callers = new List<(string Role, HttpClient Client)>();
        foreach (var role in TenantRoles)
        {
            callers.Add((role, await manager.MemberAsync("u-" + role, role)));
        }

        await manager.AddUserAsync("u-default", "u-default-pass");
        callers.Add((Roles.Default, manager.CreateClient("u-default", "u-default-pass")));
        using var outsider = await manager.MemberAsync("outsider", "manager", tenant: "other");
        using var outsiderHere = manager.CreateClient("outsider", "outsider-pass", "default_tenant");
        using var unknownTenant = manager.CreateClient("admin", ManagerFixture.AdminPassword, "no-such-tenant");
        using var anonymous = manager.CreateClient(null, null);
        using var wrongPassword = manager.CreateClient("u-viewer", "not-the-password");
        // An agent's own token (agent `x`, the name every route is called with): only its registration routes and the
        // manager list (which event bodies the managers read) answer.
        using var agentToken = await AgentTokenClientAsync(manager, "x");
        string[] agentRoutes = ["PUT /agents/{name}", "PATCH /agents/{name}", "POST /agents/{name}/heartbeat", "GET /managers"];

        var failures = new List<string>();
        var checkedRoutes = 0;
        foreach (var route in routes.Where(r => !r.Anonymous))
        {
            checkedRoutes++;
            var path = route.Path();
            var permission = route.Permission;
            Expect(failures, route, "anonymous", await anonymous.SendAsync(new HttpMethod(route.Method), path), HttpStatusCode.Unauthorized, "unauthorized_error");
            if (checkedRoutes % 16 == 1)
            {
                // Every wrong password costs a full key derivation, so a sample of routes keeps the matrix fast.
                Expect(failures, route, "wrong password", await wrongPassword.SendAsync(new HttpMethod(route.Method), path), HttpStatusCode.Unauthorized, "unauthorized_error");
            }

            Expect(failures, route, "unknown tenant", await unknownTenant.SendAsync(new HttpMethod(route.Method), path), HttpStatusCode.Forbidden, "forbidden_error");
            var agentAnswer = await agentToken.SendAsync(new HttpMethod(route.Method), path);
            if (!agentRoutes.Contains(EndpointPermissions.Key(route.Method, route.Pattern)))
            {
                Expect(failures, route, "agent token", agentAnswer, HttpStatusCode.Forbidden, "forbidden_error");
            }
            else if (agentAnswer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)agentAnswer.Status >= 500)
            {
                failures.Add($"{route} as agent token: its own route, but got {(int)agentAnswer.Status} {agentAnswer.Body?.ToJsonString()}");
            }

            if (permission is { Deferred: true })
            {
                continue;
            }

            var outsiderAnswer = await outsiderHere.SendAsync(new HttpMethod(route.Method), path);
            CheckRole(failures, route, "user of another tenant", [Roles.Default], outsiderAnswer);
            foreach (var (role, client) in callers)
            {
                CheckRole(failures, route, role, role == Roles.Default ? [role] : [role, Roles.Default], await client.SendAsync(new HttpMethod(route.Method), path));
            }
        }

        // The admin last: it may create what a route names (a tenant `x`), which the other checks must not see.
        foreach (var route in routes.Where(r => !r.Anonymous && r.Permission is not { Deferred: true }))
        {
            CheckRole(failures, route, Roles.SysAdmin, [Roles.SysAdmin], await manager.Client.SendAsync(new HttpMethod(route.Method), route.Path()));
        }

        foreach (var (_, client) in callers)
        {
            client.Dispose();
        }

        Assert.True(failures.Count == 0, $"{failures.Count} wrong answers:\n" + string.Join("\n", failures));
    }

    private static async Task<HttpClient> AgentTokenClientAsync(ManagerFixture manager, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await manager.Store.PutAgentAsync(
            new Core.Model.AgentRecord
            {
                Name = name, TenantName = "default_tenant", CreatedBy = "admin", InstallMethod = "remote", RabbitMqExchange = name,
                State = Core.Model.AgentState.Started, CreatedAt = now,
            },
            ct);
        var token = AgentTokens.Generate();
        Assert.True(await manager.Store.SetAgentTokenAsync("default_tenant", name, AgentTokens.Hash(token), now, ct));
        var client = manager.CreateClient(null, null, tenant: null);
        client.DefaultRequestHeaders.Add("Authentication-Token", token);
        return client;
    }

    private static void CheckRole(List<string> failures, MappedRoute route, string who, string[] roles, (HttpStatusCode Status, JsonNode? Body) answer)
    {
        var permission = route.Permission;
        var allowed = permission is null ? roles.Contains(Roles.SysAdmin) : PermissionMatrix.Default.Allows(permission.Name, roles);
        if (!allowed)
        {
            Expect(failures, route, who, answer, HttpStatusCode.Forbidden, "forbidden_error");
            return;
        }

        var message = answer.Body?["message"]?.GetValue<string>() ?? "";
        var refusedByAuth = answer.Status == HttpStatusCode.Unauthorized
            || (answer.Status == HttpStatusCode.Forbidden && permission is not null
                && message.Contains($"not permitted to perform the action {permission.Name}", StringComparison.Ordinal));
        if (refusedByAuth || (int)answer.Status >= 500)
        {
            failures.Add($"{route} as {who}: permitted ({permission?.Name}) but got {(int)answer.Status} {answer.Body?.ToJsonString()}");
        }
    }

    private static void Expect(List<string> failures, MappedRoute route, string who, (HttpStatusCode Status, JsonNode? Body) answer, HttpStatusCode status, string code)
    {
        if (answer.Status != status || answer.Body?["error_code"]?.GetValue<string>() != code)
        {
            failures.Add($"{route} as {who}: expected {(int)status} {code}, got {(int)answer.Status} {answer.Body?.ToJsonString()}");
        }
    }
}
