using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Identity;

/// <summary><c>/tenants</c>: list, get, create, delete, and user and user-group membership with a tenant role.</summary>
internal static class TenantEndpoints
{
    private static readonly Dictionary<string, Func<Tenant, string?>> Fields = new(StringComparer.Ordinal) { ["name"] = t => t.Name };

    public static RouteGroupBuilder MapTenants(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants", ListAsync);
        api.MapPut("/tenants/users", (HttpRequest r, IStratusStore s, AccountLock l, ManagerOptions o, CancellationToken ct) =>
            SetMemberAsync(r, s, l, o, "username", GrantMode.Add, ct));
        api.MapPatch("/tenants/users", (HttpRequest r, IStratusStore s, AccountLock l, ManagerOptions o, CancellationToken ct) =>
            SetMemberAsync(r, s, l, o, "username", GrantMode.Update, ct));
        api.MapDelete("/tenants/users", (HttpRequest r, IStratusStore s, ManagerOptions o, CancellationToken ct) =>
            RemoveMemberAsync(r, s, o, "username", ct));
        api.MapPut("/tenants/user-groups", (HttpRequest r, IStratusStore s, AccountLock l, ManagerOptions o, CancellationToken ct) =>
            SetMemberAsync(r, s, l, o, "group_name", GrantMode.Add, ct));
        api.MapPatch("/tenants/user-groups", (HttpRequest r, IStratusStore s, AccountLock l, ManagerOptions o, CancellationToken ct) =>
            SetMemberAsync(r, s, l, o, "group_name", GrantMode.Update, ct));
        api.MapDelete("/tenants/user-groups", (HttpRequest r, IStratusStore s, ManagerOptions o, CancellationToken ct) =>
            RemoveMemberAsync(r, s, o, "group_name", ct));
        api.MapGet("/tenants/{name}", GetAsync);
        api.MapPost("/tenants/{name}", CreateAsync);
        api.MapDelete("/tenants/{name}", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(
        Caller caller, HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken)
    {
        var identity = await store.ReadIdentityAsync(cancellationToken);

        // Everyone but a sys_admin sees the tenants they belong to, directly or through a group.
        var groups = identity.Memberships.Where(m => m.Username == caller.Username).Select(m => m.Group).ToHashSet(StringComparer.Ordinal);
        var mine = identity.UserGrants.Where(g => g.Principal == caller.Username).Select(g => g.Tenant)
            .Concat(identity.GroupGrants.Where(g => groups.Contains(g.Principal)).Select(g => g.Tenant))
            .ToHashSet(StringComparer.Ordinal);
        var visible = identity.Tenants.Where(t => caller.IsSysAdmin || mine.Contains(t.Name)).ToList();
        var (page, list, getData) = IdentityLists.Apply(request.Query, visible, "name", Fields);
        if (getData && !caller.Can("tenant_list_get_data"))
        {
            throw AuthenticationMiddleware.NotPermitted(caller.Username, "tenant_list_get_data", caller.Tenant);
        }

        var renderer = new IdentityRenderer(identity, accountLock);
        return TypedResults.Json(ListResponse.Create(page, t => renderer.Tenant(t, getData), list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(
        string name, Caller caller, HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken)
    {
        IdentityBody.ValidateName("tenant_name", name);

        // Cloudify authorizes tenant_get against the roles held in the tenant named by the route.
        if (await store.GetTenantAsync(name, cancellationToken) is null)
        {
            throw StratusException.Forbidden("Authorization failed: Tried to authenticate with invalid tenant name: " + name);
        }

        var access = await store.GetUserAccessAsync(caller.Username, name, cancellationToken);
        var roles = access is null ? [] : access.GroupSystemRoles.Concat(access.TenantRoles).Append(access.User.Role);
        if (!PermissionMatrix.Default.Allows("tenant_get", roles))
        {
            throw AuthenticationMiddleware.NotPermitted(caller.Username, "tenant_get", name);
        }

        return TypedResults.Json(await RenderAsync(store, accountLock, name, Wire.ParseBool("_get_data", request.Query["_get_data"].LastOrDefault(), false), cancellationToken));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        string name, HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, CancellationToken cancellationToken)
    {
        IdentityBody.ValidateName("tenant_name", name);
        var body = await IdentityBody.ReadOptionalAsync(request, options, cancellationToken);
        BodyParams.OptionalString(body, "rabbitmq_password");
        if (name is "users" or "user-groups")
        {
            throw StratusException.BadParameters(
                $"'{name}' is not allowed as a tenant name because it would clash with the endpoint that removes {name} from a tenant");
        }

        await store.CreateTenantAsync(name, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, name, getData: false, cancellationToken), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<NoContent> DeleteAsync(string name, IStratusStore store, CancellationToken cancellationToken)
    {
        IdentityBody.ValidateName("tenant_name", name);
        if (name == AuthenticationMiddleware.DefaultTenant)
        {
            throw StratusException.Forbidden("The default tenant cannot be deleted");
        }

        await store.DeleteTenantAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<JsonHttpResult<JsonObject>> SetMemberAsync(
        HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, string memberField, GrantMode mode,
        CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var tenant = IdentityBody.Name(body, "tenant_name");
        var member = IdentityBody.Name(body, memberField);
        var role = mode == GrantMode.Add ? BodyParams.OptionalString(body, "role") : BodyParams.RequiredString(body, "role");
        if (role is null || role.Length == 0)
        {
            role = mode == GrantMode.Add ? Roles.DefaultTenantRole : throw StratusException.BadParameters("The `role` argument is empty");
        }

        Roles.Verify(role, Roles.TenantRole);
        if (memberField == "username")
        {
            await store.SetUserTenantRoleAsync(member, tenant, role, mode, cancellationToken);
        }
        else
        {
            await store.SetGroupTenantRoleAsync(member, tenant, role, mode, cancellationToken);
        }

        return TypedResults.Json(await RenderAsync(store, accountLock, tenant, getData: false, cancellationToken));
    }

    private static async Task<NoContent> RemoveMemberAsync(
        HttpRequest request, IStratusStore store, ManagerOptions options, string memberField, CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var tenant = IdentityBody.Name(body, "tenant_name");
        var member = IdentityBody.Name(body, memberField);
        if (memberField == "username")
        {
            await store.RemoveUserTenantRoleAsync(member, tenant, cancellationToken);
        }
        else
        {
            await store.RemoveGroupTenantRoleAsync(member, tenant, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<JsonObject> RenderAsync(IStratusStore store, AccountLock accountLock, string name, bool getData, CancellationToken cancellationToken)
    {
        var identity = await store.ReadIdentityAsync(cancellationToken);
        var tenant = identity.Tenants.FirstOrDefault(t => t.Name == name) ?? throw ResourceIds.NotFound("Tenant", name);
        return new IdentityRenderer(identity, accountLock).Tenant(tenant, getData);
    }
}
