using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;

namespace Stratus.Server.Secrets;

internal sealed partial class SecretService
{
    private static readonly string[] SetVisibilityValues = [Visibility.Tenant, Visibility.Global];

    /// <summary><c>PATCH /secrets/{key}</c>: any of value, visibility, is_hidden_value, creator; every check passes before anything is written.</summary>
    public async Task<Secret> UpdateAsync(Caller caller, string key, JsonObject body, CancellationToken cancellationToken)
    {
        SecretKeys.Validate(key);
        if (body.Count == 0)
        {
            throw StratusException.IllegalAction("Update a secret request must include at least one parameter to update");
        }

        var secret = await FindAsync(caller, key, cancellationToken);
        RequireModificationPermitted(caller, secret);
        var updated = secret;
        if (body["is_hidden_value"] is { } hiddenNode)
        {
            if (!HiddenValuePermitted(caller, secret))
            {
                throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to modify the secret `{key}` to be hidden value");
            }

            updated = updated with { IsHiddenValue = Wire.ParseBool("is_hidden_value", hiddenNode, false) };
        }

        if (OptionalVisibility(body, Visibility.All) is { } visibility)
        {
            RequireNotNarrower(secret, visibility);
            RequireGlobalPermitted(caller, visibility);
            updated = updated with { Visibility = visibility };
        }

        if (!IsEmpty(body["value"]))
        {
            var value = body["value"];
            if (secret.Schema is not null)
            {
                SecretSchema.Validate(value, secret.Schema);
            }

            updated = updated with { EncryptedValue = Reencrypt(secret, secret.Schema is null ? PlainText(value) : value!.ToJsonString()) };
        }

        if (Wire.GetString(body, "creator") is { Length: > 0 } creator)
        {
            if (!caller.IsSysAdmin)
            {
                throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform the action set_owner");
            }

            updated = await store.GetUserAsync(creator, cancellationToken) is not null
                ? updated with { CreatedBy = creator }
                : throw StratusException.BadParameters($"User {creator} does not exist.");
        }

        RejectProviders(body);
        RequireOwnTenant(caller, secret);
        return await SaveAsync(secret, updated, cancellationToken);
    }

    /// <summary><c>PATCH /secrets/{key}/set-visibility</c>: tenant or global, never narrower than now.</summary>
    public async Task<Secret> SetVisibilityAsync(Caller caller, string key, JsonObject body, CancellationToken cancellationToken)
    {
        var visibility = OptionalVisibility(body, SetVisibilityValues) ?? throw StratusException.BadParameters("Missing visibility in json request body");
        var secret = await FindAsync(caller, key, cancellationToken);
        RequireNotNarrower(secret, visibility);
        RequireGlobalPermitted(caller, visibility);
        RequireOwnTenant(caller, secret);
        return await SaveAsync(secret, secret with { Visibility = visibility }, cancellationToken);
    }

    private static void RequireNotNarrower(Secret secret, string visibility)
    {
        if (Rank(secret.Visibility) > Rank(visibility))
        {
            throw StratusException.IllegalAction($"Can't set the visibility of `{secret.Key}` to {visibility} because it already has wider visibility");
        }
    }

    private static int Rank(string visibility) => Visibility.All.ToList().IndexOf(visibility);
}
