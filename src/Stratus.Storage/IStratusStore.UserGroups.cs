using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Creates a user group; <c>conflict_error</c> if the name (or LDAP DN) is taken.</summary>
    Task CreateUserGroupAsync(UserGroup group, CancellationToken cancellationToken = default);

    /// <summary>Deletes a group with its memberships and tenant roles; <c>not_found_error</c> if unknown.</summary>
    Task DeleteUserGroupAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets the group's system role; <c>not_found_error</c> if unknown.</summary>
    Task SetUserGroupRoleAsync(string name, string role, CancellationToken cancellationToken = default);

    /// <summary>Adds a user to a group; <c>not_found_error</c> for an unknown user or group, <c>conflict_error</c> if already a member.</summary>
    Task AddUserToGroupAsync(string username, string groupName, CancellationToken cancellationToken = default);

    /// <summary>Removes a user from a group; <c>not_found_error</c> if it was not a member.</summary>
    Task RemoveUserFromGroupAsync(string username, string groupName, CancellationToken cancellationToken = default);
}
