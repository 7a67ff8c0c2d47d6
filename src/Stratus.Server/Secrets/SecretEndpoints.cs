using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Secrets;

/// <summary><c>/secrets</c>: create (PUT), get, list, update (PATCH), delete, set-visibility (Cloudify's v3.1 secrets API).</summary>
internal static class SecretEndpoints
{
    public static RouteGroupBuilder MapSecrets(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/secrets");
        group.MapGet("", ListAsync);
        group.MapGet("/{key}", GetAsync);
        group.MapPut("/{key}", CreateAsync);
        group.MapPatch("/{key}", UpdateAsync);
        group.MapDelete("/{key}", DeleteAsync);
        group.MapPatch("/{key}/set-visibility", SetVisibilityAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, SecretRenderer.Fields);
        var page = await store.ListSecretsAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "secret_list", store, cancellationToken), cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, SecretRenderer.RenderListItem, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(
        string key, Caller caller, HttpRequest request, SecretService secrets, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], SecretRenderer.GetFields);
        var skipValue = Wire.ParseBool("_skip_value", request.Query["_skip_value"].LastOrDefault(), false);
        return TypedResults.Json(ListResponse.Project(await secrets.ReadAsync(caller, key, skipValue, cancellationToken), include));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        string key, Caller caller, HttpRequest request, SecretService secrets, ManagerOptions options, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "secret_create");
        var body = await ReadJsonAsync(request, options, cancellationToken);
        var secret = await secrets.CreateAsync(caller, key, body, cancellationToken);

        // Cloudify answers a write with the stored (encrypted) value, as wire 36 shows; the clear value is never echoed.
        return TypedResults.Json(SecretRenderer.Render(secret, secret.EncryptedValue));
    }

    private static async Task<JsonHttpResult<JsonObject>> UpdateAsync(
        string key, Caller caller, HttpRequest request, SecretService secrets, ManagerOptions options, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "secret_update");
        var body = await ReadJsonAsync(request, options, cancellationToken);
        var secret = await secrets.UpdateAsync(caller, key, body, cancellationToken);
        return TypedResults.Json(SecretRenderer.Render(secret, secret.EncryptedValue));
    }

    private static async Task<NoContent> DeleteAsync(string key, Caller caller, SecretService secrets, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "secret_delete");
        await secrets.DeleteAsync(caller, key, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<JsonHttpResult<JsonObject>> SetVisibilityAsync(
        string key, Caller caller, HttpRequest request, SecretService secrets, ManagerOptions options, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "secret_update");
        var body = await ReadJsonAsync(request, options, cancellationToken);
        var secret = await secrets.SetVisibilityAsync(caller, key, body, cancellationToken);
        return TypedResults.Json(SecretRenderer.Render(secret, secret.EncryptedValue));
    }

    /// <summary>Cloudify's <c>get_json_and_verify_params</c> content-type rule.</summary>
    private static Task<JsonObject> ReadJsonAsync(HttpRequest request, ManagerOptions options, CancellationToken cancellationToken) =>
        request.HasJsonContentType()
            ? RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken)
            : throw new StratusException(ErrorCodes.UnsupportedContentType, 415, "Content type must be application/json");

    /// <summary>Secret writes are for sys_admin, manager and user; viewers are refused by the middleware, operations here.</summary>
    private static void RequireWriter(Caller caller, string action)
    {
        if (!caller.IsSysAdmin && caller.TenantRole == "operations")
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform the action {action} in the tenant `{caller.Tenant}`");
        }
    }
}
