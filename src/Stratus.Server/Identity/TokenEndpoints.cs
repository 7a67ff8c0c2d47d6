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

/// <summary>
/// <c>/tokens</c>: a caller's API tokens (everyone's with <c>manage_others_tokens</c>). The secret is in the answer
/// to the create call only; afterwards the value reads <c>ctok-&lt;id&gt;-********</c>.
/// </summary>
internal static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder api)
    {
        api.MapGet("/tokens", ListAsync);
        api.MapPost("/tokens", CreateAsync);
        api.MapGet("/tokens/{id}", GetAsync);
        api.MapDelete("/tokens/{id}", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var tokens = await store.ListTokensAsync(caller.Can("manage_others_tokens") ? null : caller.Username, cancellationToken);
        var list = ListQueryParser.Parse(request.Query, new ResourceFields([], [], ["id", "username", "value", "role", "expiration_date", "last_used", "description"]));
        return TypedResults.Json(ListResponse.Create(ListResponse.PageOf(tokens, list.Query), t => Render(t, secret: null), list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await store.DeleteExpiredTokensAsync(caller.Username, now, cancellationToken);
        var body = await IdentityBody.ReadOptionalAsync(request, options, cancellationToken);
        var description = BodyParams.OptionalString(body, "description");
        DateTimeOffset? expires = null;
        if (body["expiration_date"] is { } raw)
        {
            var text = raw is JsonValue v && v.TryGetValue<string>(out var s) ? s : raw.ToJsonString();
            expires = text.Length == 0 ? null : TimeExpression.Parse(text, now);
            if (expires <= now)
            {
                throw StratusException.BadParameters("Expiration date was in the past.");
            }
        }

        var (id, secret) = ApiTokens.Generate();
        var token = new ApiToken
        {
            Id = id,
            SecretHash = ApiTokens.Hash(secret),
            Description = description,
            Username = caller.Username,
            UserRole = caller.SystemRole,
            CreatedAt = now,
            ExpirationDate = expires,
        };
        await store.CreateTokenAsync(token, cancellationToken);
        return TypedResults.Json(Render(token, secret));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(Render(await ManageableAsync(id, caller, store, cancellationToken), secret: null));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken)
    {
        var token = await ManageableAsync(id, caller, store, cancellationToken);
        if (!await store.DeleteTokenAsync(token.Id, cancellationToken))
        {
            throw StratusException.NotFound($"Could not find token {id}");
        }

        return TypedResults.NoContent();
    }

    /// <summary>Another user's token is reported missing, not forbidden, so ids cannot be probed.</summary>
    private static async Task<ApiToken> ManageableAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken)
    {
        var token = await store.GetTokenAsync(id, cancellationToken);
        return token is not null && (token.Username == caller.Username || caller.Can("manage_others_tokens"))
            ? token
            : throw StratusException.NotFound($"Could not find token {id}");
    }

    private static JsonObject Render(ApiToken t, string? secret) => new()
    {
        ["description"] = t.Description,
        ["expiration_date"] = Wire.Timestamp(t.ExpirationDate),
        ["id"] = t.Id,
        ["last_used"] = Wire.Timestamp(t.LastUsed),
        ["role"] = t.UserRole,
        ["username"] = t.Username,
        ["value"] = ApiTokens.Value(t.Id, secret ?? ApiTokens.Masked),
    };
}
