using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Inserts a user; <c>conflict_error</c> if the username is taken.</summary>
    Task CreateUserAsync(User user, CancellationToken cancellationToken = default);

    Task<User?> GetUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The user with its group system roles and its roles (direct and by group) in <paramref name="tenantName"/>.</summary>
    Task<UserAccess?> GetUserAccessAsync(string username, string tenantName, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="update"/> in one transaction and returns the user; <c>not_found_error</c> if unknown.</summary>
    Task<User> UpdateUserAsync(string username, UserUpdate update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a user: <c>not_found_error</c> if unknown; <c>dependent_exists_error</c> while it owns resources;
    /// <c>bad_parameters_error</c> if it is the last active <c>sys_admin</c>. Its tokens and memberships go with it.
    /// </summary>
    Task DeleteUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a password check: success clears the failed counter and stamps the login times; failure increments
    /// the counter atomically and stamps <c>last_failed_login_at</c>.
    /// </summary>
    Task RecordLoginAsync(string username, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default);
}
