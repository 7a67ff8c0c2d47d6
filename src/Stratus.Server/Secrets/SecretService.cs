using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Core.Secrets;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Secrets;

/// <summary>
/// Cloudify's secrets resource rules (rest-service <c>resources_v3/secrets.py</c>): creation with update_if_exists, hidden
/// values readable and changeable only by their creator and the tenant's administrators, visibility that only widens.
/// Values are encrypted before they reach the store and decrypted only to answer a read or a function.
/// </summary>
internal sealed partial class SecretService(IStratusStore store, SecretCipher cipher, TimeProvider timeProvider)
{
    public async Task<Secret> CreateAsync(Caller caller, string key, JsonObject body, CancellationToken cancellationToken)
    {
        SecretKeys.Validate(key);
        if (!body.ContainsKey("value"))
        {
            throw StratusException.BadParameters("Missing value in json request body");
        }

        var schema = OptionalObject(body, "schema");
        RejectProviders(body);
        var value = body["value"];
        if (schema is not null)
        {
            SecretSchema.CheckSchema(schema);
            SecretSchema.Validate(value, schema);
        }

        var updateIfExists = Wire.ParseBool("update_if_exists", body["update_if_exists"], false);
        var hidden = Wire.ParseBool("is_hidden_value", body["is_hidden_value"], false);
        var visibility = OptionalVisibility(body, Visibility.All) ?? Visibility.Tenant;
        RequireGlobalPermitted(caller, visibility);
        if (IsEmpty(value))
        {
            throw StratusException.BadParameters($"Cannot create a secret with empty value or provider: {key}");
        }

        var text = schema is null ? PlainText(value) : value!.ToJsonString();
        var now = timeProvider.GetUtcNow();
        var secret = new Secret
        {
            Key = key,
            TenantName = caller.Tenant,
            CreatedBy = caller.Username,
            Visibility = visibility,
            CreatedAt = now,
            UpdatedAt = now,
            EncryptedValue = cipher.Encrypt(caller.Tenant, key, text),
            IsHiddenValue = hidden,
            Schema = schema,
        };
        try
        {
            await store.InsertSecretAsync(secret, cancellationToken);
            return secret;
        }
        catch (StratusException e) when (e.ErrorCode == ErrorCodes.Conflict && updateIfExists)
        {
            // Cloudify's update_if_exists replaces only the value; visibility and the hidden flag stay as they were.
            var existing = await FindAsync(caller, key, cancellationToken);
            RequireOwnTenant(caller, existing);
            return await SaveAsync(existing, existing with { EncryptedValue = Reencrypt(existing, text) }, cancellationToken);
        }
    }

    /// <summary>The rendered secret: its clear value unless it is hidden from <paramref name="caller"/> or <paramref name="skipValue"/>.</summary>
    public async Task<JsonObject> ReadAsync(Caller caller, string key, bool skipValue, CancellationToken cancellationToken)
    {
        SecretKeys.Validate(key);
        var secret = await FindAsync(caller, key, cancellationToken);
        if (skipValue || (secret.IsHiddenValue && !HiddenValuePermitted(caller, secret)))
        {
            return SecretRenderer.Render(secret, "");
        }

        var clear = Reveal(secret);
        return SecretRenderer.Render(secret, secret.Schema is null ? clear : JsonNode.Parse(clear));
    }

    public async Task DeleteAsync(Caller caller, string key, CancellationToken cancellationToken)
    {
        SecretKeys.Validate(key);
        var secret = await FindAsync(caller, key, cancellationToken);
        RequireModificationPermitted(caller, secret);
        RequireOwnTenant(caller, secret);
        if (!await store.DeleteSecretAsync(caller.Tenant, key, cancellationToken))
        {
            throw SecretKeys.NotFound(key);
        }
    }

    /// <summary>A secret the caller may see: the tenant's or a global one, private ones only for their creator and administrators.</summary>
    public async Task<Secret> FindAsync(Caller caller, string key, CancellationToken cancellationToken) =>
        await store.GetSecretAsync(caller.Tenant, key, cancellationToken) is { } secret && caller.CanSee(secret.Visibility, secret.CreatedBy)
            ? secret
            : throw SecretKeys.NotFound(key);

    /// <summary>
    /// What <c>get_secret</c> reads for <paramref name="caller"/> during one evaluation (Cloudify's get_secret_method: the
    /// secrets the caller may see, hidden values included; a missing one is not_found_error).
    /// </summary>
    public SecretCache CacheFor(Caller caller) =>
        new(
            async (key, cancellationToken) =>
                await store.GetSecretAsync(caller.Tenant, key, cancellationToken) is { } secret && caller.CanSee(secret.Visibility, secret.CreatedBy)
                    ? Reveal(secret)
                    : null,
            SecretKeys.NotFound);

    /// <summary>Whether <paramref name="caller"/> has the secret (deployment creation checks the ones a blueprint names).</summary>
    public async ValueTask<bool> ExistsAsync(Caller caller, string key, CancellationToken cancellationToken) =>
        await store.GetSecretAsync(caller.Tenant, key, cancellationToken) is { } secret && caller.CanSee(secret.Visibility, secret.CreatedBy);

    /// <summary>The clear value; Cloudify's <c>invalid_fernet_token_format_error</c> when it does not decrypt with this manager's key.</summary>
    public string Reveal(Secret secret)
    {
        try
        {
            return cipher.Decrypt(secret.TenantName, secret.Key, secret.EncryptedValue);
        }
        catch (CryptographicException)
        {
            throw new StratusException(
                "invalid_fernet_token_format_error", 500, $"The Secret value for key `{secret.Key}` is malformed, please recreate the secret");
        }
    }

    /// <summary>Cloudify's <c>is_hidden_value_permitted</c>: an administrator of the secret's tenant, or its creator.</summary>
    private static bool HiddenValuePermitted(Caller caller, Secret secret) =>
        caller.IsSysAdmin || (caller.TenantRole == "manager" && secret.TenantName == caller.Tenant) || secret.CreatedBy == caller.Username;

    private string Reencrypt(Secret secret, string text) => cipher.Encrypt(secret.TenantName, secret.Key, text);

    private async Task<Secret> SaveAsync(Secret expected, Secret updated, CancellationToken cancellationToken)
    {
        updated = updated with { UpdatedAt = timeProvider.GetUtcNow() };
        return await store.UpdateSecretAsync(expected, updated, cancellationToken)
            ? updated
            : throw StratusException.Conflict($"The secret `{expected.Key}` changed meanwhile; retry");
    }

    private static void RequireModificationPermitted(Caller caller, Secret secret)
    {
        if (secret.IsHiddenValue && !HiddenValuePermitted(caller, secret))
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to modify the hidden value secret `{secret.Key}`");
        }
    }

    /// <summary>Cloudify's <c>validate_global_modification</c>.</summary>
    private static void RequireOwnTenant(Caller caller, Secret secret)
    {
        if (secret.TenantName != caller.Tenant)
        {
            throw StratusException.IllegalAction($"Can't modify the global resource `{secret.Key}` from outside its tenant `{secret.TenantName}`");
        }
    }

    private static void RequireGlobalPermitted(Caller caller, string visibility)
    {
        if (visibility == Visibility.Global && !caller.IsSysAdmin)
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to set or create a global resource");
        }
    }

    /// <summary>Python's truthiness of a JSON value, as Cloudify's <c>if not value</c> tests it.</summary>
    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.False => true,
            JsonValueKind.Number => v.GetValue<double>() == 0,
            _ => false,
        },
        _ => false,
    };

    /// <summary>A secret without a schema holds text (Cloudify encrypts <c>value.encode()</c>).</summary>
    private static string PlainText(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw StratusException.BadParameters($"value parameter is expected to be of type str but is of type {PyType(value)} (give a schema for a structured secret)");

    private static JsonObject? OptionalObject(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonObject o => o.Count == 0 ? null : (JsonObject)o.DeepClone(),
        var other => throw StratusException.BadParameters($"{name} parameter is expected to be of type dict but is of type {PyType(other)}"),
    };

    private static string? OptionalVisibility(JsonObject body, IReadOnlyList<string> allowed)
    {
        if (body["visibility"] is null)
        {
            return null;
        }

        var visibility = body["visibility"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw StratusException.BadParameters($"visibility parameter is expected to be of type str but is of type {PyType(body["visibility"])}");
        return allowed.Contains(visibility)
            ? visibility
            : throw StratusException.BadParameters($"Invalid visibility: `{visibility}`. Valid visibility's values are: {Wire.PyList(allowed)}");
    }

    /// <summary>This manager has no secrets providers: a named one does not exist, and options for one have nowhere to go.</summary>
    private static void RejectProviders(JsonObject body)
    {
        if (body["provider_name"] is { } provider)
        {
            throw StratusException.NotFound($"Requested `SecretsProvider` with ID `{provider}` was not found");
        }

        if (body["provider_options"] is not null)
        {
            throw StratusException.BadParameters("provider_options need a secrets provider, and this manager has none");
        }
    }

    private static string PyType(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "NoneType",
        JsonValueKind.Object => "dict",
        JsonValueKind.Array => "list",
        JsonValueKind.String => "str",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => node.ToJsonString().Any(c => c is '.' or 'e' or 'E') ? "float" : "int",
    };
}
