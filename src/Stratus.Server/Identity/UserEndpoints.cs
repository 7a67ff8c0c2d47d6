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

/// <summary><c>/user</c> and <c>/users</c>: self, list, get, create, settings (password, role, getting started), delete, (de)activate, unlock.</summary>
internal static class UserEndpoints
{
    private static readonly Dictionary<string, Func<User, string?>> Fields = new(StringComparer.Ordinal)
    {
        ["username"] = u => u.Username,
        ["role"] = u => u.Role,
        ["created_at"] = u => Wire.Format(u.CreatedAt),
        ["last_login_at"] = u => u.LastLoginAt is { } t ? Wire.Format(t) : null,
    };

    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/user", SelfAsync);
        api.MapGet("/users", ListAsync);
        api.MapPut("/users", CreateAsync);
        api.MapPost("/users/active/{username}", SetActiveAsync);
        api.MapPost("/users/unlock/{username}", UnlockAsync);
        api.MapGet("/users/{username}", GetAsync);
        api.MapPost("/users/{username}", UpdateAsync);
        api.MapDelete("/users/{username}", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> SelfAsync(
        Caller caller, HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken) =>
        TypedResults.Json(await RenderAsync(store, accountLock, caller.Username, GetData(request), cancellationToken));

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken)
    {
        var identity = await store.ReadIdentityAsync(cancellationToken);
        var (page, list, getData) = IdentityLists.Apply(request.Query, identity.Users, "username", Fields);
        var renderer = new IdentityRenderer(identity, accountLock);
        return TypedResults.Json(ListResponse.Create(page, u => renderer.User(u, getData), list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(
        string username, HttpRequest request, IStratusStore store, AccountLock accountLock, CancellationToken cancellationToken) =>
        TypedResults.Json(await RenderAsync(store, accountLock, username, GetData(request), cancellationToken));

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var username = BodyParams.RequiredString(body, "username");
        BodyParams.Required(body, "password", "str");
        var role = BodyParams.OptionalString(body, "role") ?? Roles.Default;
        foreach (var restoreOnly in (string[])["is_prehashed", "created_at", "first_login_at", "last_login_at"])
        {
            // Snapshot restore's fields; Stratus has no restore yet, so they are refused rather than half-honoured.
            if (body[restoreOnly] is not null)
            {
                throw StratusException.BadParameters($"`{restoreOnly}` is not supported when creating a user");
            }
        }

        var password = IdentityBody.Password(body["password"]);
        IdentityBody.ValidateName("username", username);
        Roles.Verify(role, Roles.SystemRole);
        await store.CreateUserAsync(
            new User { Username = username, PasswordHash = PasswordHasher.Hash(password), Role = role, CreatedAt = timeProvider.GetUtcNow() },
            cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, username, getData: false, cancellationToken), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// Cloudify's <c>POST /users/{username}</c>: a password (anyone for themselves, <c>user_update</c> for others), or a
    /// system role, or <c>show_getting_started</c> (both <c>user_update</c>).
    /// </summary>
    private static async Task<JsonHttpResult<JsonObject>> UpdateAsync(
        string username, Caller caller, HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options,
        CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var password = body["password"];
        var role = body["role"];
        var showGettingStarted = body["show_getting_started"];
        UserUpdate update;
        if (password is not null && !(password is JsonValue pv && pv.TryGetValue<string>(out var ps) && ps.Length == 0))
        {
            if (role is not null)
            {
                throw StratusException.BadParameters("Both `password` and `role` provided");
            }

            if (username != caller.Username)
            {
                RequireUserUpdate(caller);
            }

            update = new UserUpdate { PasswordHash = PasswordHasher.Hash(IdentityBody.Password(password)) };
        }
        else
        {
            RequireUserUpdate(caller);
            if (role is JsonValue rv && rv.TryGetValue<string>(out var roleName) && roleName.Length > 0)
            {
                Roles.Verify(roleName, Roles.SystemRole);
                update = new UserUpdate { Role = roleName };
            }
            else if (showGettingStarted is not null)
            {
                update = new UserUpdate { ShowGettingStarted = Wire.ParseBool("show_getting_started", showGettingStarted, false) };
            }
            else
            {
                throw StratusException.BadParameters("No valid user settings provided. Available settings: password, role, show_getting_started");
            }
        }

        await store.UpdateUserAsync(username, update, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, username, getData: false, cancellationToken));
    }

    private static async Task<JsonHttpResult<JsonObject>> SetActiveAsync(
        string username, HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await IdentityBody.ReadAsync(request, options, cancellationToken);
        var action = BodyParams.Required(body, "action", BodyParams.TypeName(body["action"]));
        var activate = action is JsonValue v && v.TryGetValue<string>(out var a) && a is "activate" or "deactivate"
            ? a == "activate"
            : throw StratusException.BadParameters($"Invalid action: `{action.ToJsonString()}`. Valid actions are: ['activate', 'deactivate']");
        await store.UpdateUserAsync(username, new UserUpdate { Active = activate }, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, username, getData: false, cancellationToken));
    }

    private static async Task<JsonHttpResult<JsonObject>> UnlockAsync(
        string username, HttpRequest request, IStratusStore store, AccountLock accountLock, ManagerOptions options, CancellationToken cancellationToken)
    {
        IdentityBody.ValidateName("username", username);

        // Cloudify ignores the body; a malformed one is still refused rather than taken as no body.
        _ = await IdentityBody.ReadOptionalAsync(request, options, cancellationToken);
        await store.UpdateUserAsync(username, new UserUpdate { Unlock = true }, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, accountLock, username, getData: false, cancellationToken));
    }

    private static async Task<NoContent> DeleteAsync(string username, IStratusStore store, CancellationToken cancellationToken)
    {
        await store.DeleteUserAsync(username, cancellationToken);
        return TypedResults.NoContent();
    }

    private static void RequireUserUpdate(Caller caller)
    {
        if (!caller.Can("user_update"))
        {
            throw AuthenticationMiddleware.NotPermitted(caller.Username, "user_update", null);
        }
    }

    private static bool GetData(HttpRequest request) => Wire.ParseBool("_get_data", request.Query["_get_data"].LastOrDefault(), false);

    private static async Task<JsonObject> RenderAsync(IStratusStore store, AccountLock accountLock, string username, bool getData, CancellationToken cancellationToken)
    {
        var identity = await store.ReadIdentityAsync(cancellationToken);
        var user = identity.Users.FirstOrDefault(u => u.Username == username) ?? throw ResourceIds.NotFound("User", username);
        return new IdentityRenderer(identity, accountLock).User(user, getData);
    }
}
