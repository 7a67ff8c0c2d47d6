using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Inserts a secret. <c>conflict_error</c> when the key exists in the tenant or as a global secret of any tenant, or,
    /// for a global secret, when the key exists in any other tenant (Cloudify's per-tenant uniqueness with globals).
    /// </summary>
    Task InsertSecretAsync(Secret secret, CancellationToken cancellationToken = default);

    /// <summary>The tenant's secret with this key, else a global one of another tenant; null if neither exists.</summary>
    Task<Secret?> GetSecretAsync(string tenantName, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the tenant's secrets and every global one; filter/sort fields: key, created_at, updated_at, visibility,
    /// is_hidden_value, created_by, tenant_name; <c>_search</c> matches the key.
    /// </summary>
    Task<Page<Secret>> ListSecretsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-set: replaces the secret's value, visibility, hidden flag, creator and updated_at with
    /// <paramref name="updated"/>'s while the stored row still has <paramref name="expected"/>'s. Returns false when the
    /// secret is gone or changed meanwhile. <c>conflict_error</c> when making it global clashes with another tenant's key.
    /// </summary>
    Task<bool> UpdateSecretAsync(Secret expected, Secret updated, CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret owned by <paramref name="tenantName"/>. Returns false if it does not exist there.</summary>
    Task<bool> DeleteSecretAsync(string tenantName, string key, CancellationToken cancellationToken = default);
}
