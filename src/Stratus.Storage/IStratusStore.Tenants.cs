using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Creates the tenant if it does not exist; returns it either way.</summary>
    Task<Tenant> EnsureTenantAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a tenant; <c>conflict_error</c> if the name is taken.</summary>
    Task<Tenant> CreateTenantAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a tenant that holds nothing: <c>not_found_error</c> if it does not exist, <c>dependent_exists_error</c>
    /// (nothing deleted) while users, groups or resources (blueprints, deployments, plugins, secrets, deployment groups)
    /// belong to it. Its remaining executions (system workflows' history) are deleted with it.
    /// </summary>
    Task DeleteTenantAsync(string name, CancellationToken cancellationToken = default);

    Task<Tenant?> GetTenantAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Gives the user a tenant role (<c>manager</c>, <c>user</c>, <c>operations</c>, <c>viewer</c>); replaces an existing one.</summary>
    Task SetUserTenantRoleAsync(string username, string tenantName, string role, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds (<paramref name="mode"/> Add: <c>conflict_error</c> if already a member) or changes (Update:
    /// <c>not_found_error</c> if not a member) a user's role in a tenant.
    /// </summary>
    Task SetUserTenantRoleAsync(string username, string tenantName, string role, GrantMode mode, CancellationToken cancellationToken = default);

    /// <summary>Removes the user from the tenant; <c>not_found_error</c> if it was not a direct member.</summary>
    Task RemoveUserTenantRoleAsync(string username, string tenantName, CancellationToken cancellationToken = default);

    /// <summary>Adds or changes a group's role in a tenant, with the same rules as for users.</summary>
    Task SetGroupTenantRoleAsync(string groupName, string tenantName, string role, GrantMode mode, CancellationToken cancellationToken = default);

    /// <summary>Removes the group from the tenant; <c>not_found_error</c> if it was not associated.</summary>
    Task RemoveGroupTenantRoleAsync(string groupName, string tenantName, CancellationToken cancellationToken = default);

    /// <summary>The user's direct tenant roles by tenant name.</summary>
    Task<IReadOnlyDictionary<string, string>> GetUserTenantRolesAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every tenant the user belongs to, directly or through a group, with its roles there (ascending); what
    /// <c>_all_tenants</c> lists for a caller who is not a <c>sys_admin</c>.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetUserRolesByTenantAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Every tenant, user, group and association, read in one snapshot (the management endpoints render from it).</summary>
    Task<IdentitySnapshot> ReadIdentityAsync(CancellationToken cancellationToken = default);
}
