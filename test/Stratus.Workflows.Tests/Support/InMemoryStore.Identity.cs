using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Workflows.Tests.Support;

/// <summary>Identity management is not used by the engine; these members are out of this double's scope.</summary>
internal sealed partial class InMemoryStore
{
    public Task<Tenant> CreateTenantAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteTenantAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SetUserTenantRoleAsync(string username, string tenantName, string role, GrantMode mode, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task RemoveUserTenantRoleAsync(string username, string tenantName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SetGroupTenantRoleAsync(string groupName, string tenantName, string role, GrantMode mode, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task RemoveGroupTenantRoleAsync(string groupName, string tenantName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IdentitySnapshot> ReadIdentityAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<UserAccess?> GetUserAccessAsync(string username, string tenantName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<User> UpdateUserAsync(string username, UserUpdate update, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RecordLoginAsync(string username, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateUserGroupAsync(UserGroup group, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteUserGroupAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SetUserGroupRoleAsync(string name, string role, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task AddUserToGroupAsync(string username, string groupName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RemoveUserFromGroupAsync(string username, string groupName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ApiToken?> GetTokenAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteTokenAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteExpiredTokensAsync(string username, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task TouchTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
