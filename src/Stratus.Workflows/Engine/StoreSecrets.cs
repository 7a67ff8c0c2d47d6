using System.Security.Cryptography;
using Stratus.Core.Model;
using Stratus.Core.Secrets;
using Stratus.Dsl;
using Stratus.Storage;

namespace Stratus.Workflows.Engine;

/// <summary>
/// <c>get_secret</c> in operation inputs, as Cloudify's manager answers it for the execution's creator: the tenant's and
/// the global secrets, a private one only for its creator or an administrator. Each operation gets a new
/// <see cref="SecretCache"/>, so a secret changed between two operations is read anew.
/// </summary>
internal sealed class StoreSecrets(IStratusStore store, SecretCipher? cipher, string tenantName, string? creator)
{
    public SecretCache NewCache() =>
        new(LoadAsync, key => new DeploymentPlanException("not_found_error", $"Requested `Secret` with ID `{key}` was not found"));

    private async ValueTask<string?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var secret = await store.GetSecretAsync(tenantName, key, cancellationToken);
        if (secret is null
            || (secret.Visibility == Visibility.Private && secret.CreatedBy != creator && !await IsAdministratorAsync(cancellationToken)))
        {
            return null;
        }

        if (cipher is null)
        {
            throw new DeploymentPlanException("functions_evaluation_error", "This workflow engine has no secrets key, so get_secret cannot be evaluated");
        }

        try
        {
            return cipher.Decrypt(secret.TenantName, secret.Key, secret.EncryptedValue);
        }
        catch (CryptographicException)
        {
            throw new DeploymentPlanException(
                "invalid_fernet_token_format_error", $"The Secret value for key `{key}` is malformed, please recreate the secret");
        }
    }

    private async Task<bool> IsAdministratorAsync(CancellationToken cancellationToken)
    {
        if (creator is null || await store.GetUserAsync(creator, cancellationToken) is not { } user)
        {
            return false;
        }

        return user.Role == "sys_admin"
            || ((await store.GetUserTenantRolesAsync(creator, cancellationToken)).TryGetValue(tenantName, out var role) && role == "manager");
    }
}
