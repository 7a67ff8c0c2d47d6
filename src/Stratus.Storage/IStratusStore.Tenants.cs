using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Creates the tenant if it does not exist; returns it either way.</summary>
    Task<Tenant> EnsureTenantAsync(string name, CancellationToken cancellationToken = default);

    Task<Tenant?> GetTenantAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts a user; <c>conflict_error</c> if the username is taken.</summary>
    Task CreateUserAsync(User user, CancellationToken cancellationToken = default);

    Task<User?> GetUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Gives the user a tenant role (<c>manager</c>, <c>user</c>, <c>operations</c>, <c>viewer</c>); replaces an existing one.</summary>
    Task SetUserTenantRoleAsync(string username, string tenantName, string role, CancellationToken cancellationToken = default);

    /// <summary>The user's tenant roles by tenant name.</summary>
    Task<IReadOnlyDictionary<string, string>> GetUserTenantRolesAsync(string username, CancellationToken cancellationToken = default);
}
