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

/// <summary><c>/user-groups</c>: list, get, create, set role, delete, add and remove users.</summary>
internal static class UserGroupEndpoints
{
    private static readonly Dictionary<string, Func<UserGroup, string?>> Fields = new(StringComparer.Ordinal)
    {
        ["name"] = g => g.Name,
        ["ldap_dn"] = g => g.LdapDn,
        ["role"] = g => g.Role,
    };

    public static RouteGroupBuilder MapUserGroups(this RouteGroupBuilder api)
    {
        api.MapGet("/user-groups", ListAsync);
        api.MapPost("/user-groups", CreateAsync);
        api.MapPut("/user-groups/users", (HttpRequest r, IStratusStore s, AccountLock l, ManagerOptions o, CancellationToken ct) => MembershipAsync(r, s, l, o, true, ct));
        api.MapDelete("/user-groups/users", async (HttpRequest r, IStratusStore s, AccountLock l, ManagerOptions o, CancellationToken ct) =>
        {
            await MembershipAsync(r, s, l, o, false, ct);
            return TypedResults.NoContent();
        });
        api.MapGet("/user-groups/{name}", GetAsync);
        api.MapPost("/user-groups/{name}", SetRoleAsync);
        api.MapDelete("/user-groups/{name}", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken)
    {
        var identity = await store.ReadIdentityAsync(cancellationToken);
        var (page, list, getData) = IdentityLists.Apply(request.Query, identity.Groups, "name", Fields);
        var renderer = new IdentityRenderer(identity, accountLock);
        return TypedResults.Json(ListResponse.Create(page, g => renderer.Group(g, getData), list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(
        string name, HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken)
    {
        IdentityBody.ValidateName("group_name", name);
        return TypedResults.Json(await RenderAsync(store, accountLock, name, Wire.ParseBool("_get_data", request.Query["_get_data"].LastOrDefault(), false), cancellationToken));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var name = BodyParams.RequiredString(body, "group_name");
        var ldapDn = BodyParams.OptionalString(body, "ldap_group_dn");
        var role = BodyParams.OptionalString(body, "role") ?? Roles.Default;
        Roles.Verify(role, Roles.SystemRole);
        IdentityBody.ValidateName("group_name", name);
        if (name == "users")
        {
            throw StratusException.BadParameters(
                "'users' is not allowed as a user group name because it would clash with the endpoint that removes users from a group");
        }

        await store.CreateUserGroupAsync(new UserGroup { Name = name, LdapDn = ldapDn, Role = role, CreatedAt = timeProvider.GetUtcNow() }, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, name, getData: false, cancellationToken), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<JsonObject>> SetRoleAsync(
        string name, HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var role = body["role"] is JsonValue v && v.TryGetValue<string>(out var r) && r.Length > 0
            ? r
            : throw StratusException.BadParameters("`role` not provided");
        Roles.Verify(role, Roles.SystemRole);
        await store.SetUserGroupRoleAsync(name, role, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, name, getData: false, cancellationToken));
    }

    private static async Task<NoContent> DeleteAsync(string name, IStratusStore store, CancellationToken cancellationToken)
    {
        IdentityBody.ValidateName("group_name", name);
        await store.DeleteUserGroupAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<JsonHttpResult<JsonObject>> MembershipAsync(
        HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, bool add, CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var username = IdentityBody.Name(body, "username");
        var group = IdentityBody.Name(body, "group_name");
        if (add)
        {
            await store.AddUserToGroupAsync(username, group, cancellationToken);
        }
        else
        {
            await store.RemoveUserFromGroupAsync(username, group, cancellationToken);
        }

        return TypedResults.Json(await RenderAsync(store, accountLock, group, getData: false, cancellationToken));
    }

    private static async Task<JsonObject> RenderAsync(IStratusStore store, AccountLock accountLock, string name, bool getData, CancellationToken cancellationToken)
    {
        var identity = await store.ReadIdentityAsync(cancellationToken);
        var group = identity.Groups.FirstOrDefault(g => g.Name == name) ?? throw ResourceIds.NotFound("Group", name);
        return new IdentityRenderer(identity, accountLock).Group(group, getData);
    }
}
