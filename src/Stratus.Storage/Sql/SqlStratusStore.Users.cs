using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string SysAdminRole = "sys_admin";

    private const string UserColumns =
        "storage_id, username, password_hash, role, active, created_at, first_login_at, last_login_at, last_failed_login_at, "
        + "failed_logins_counter, show_getting_started";

    private static readonly string[] SystemRoles = [SysAdminRole, "default"];

    /// <summary>Tables whose rows name their creator; a user who still owns some cannot be deleted.</summary>
    private static readonly (string Table, string Noun)[] OwnedResources =
    [
        ("blueprints", "blueprints"), ("deployments", "deployments"), ("plugins", "plugins"),
        ("secrets", "secrets"), ("deployment_groups", "deployment groups"),
    ];

    public async Task CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        CheckSystemRole(user.Role);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO users (username, password_hash, role, active, created_at, first_login_at, last_login_at, "
            + "last_failed_login_at, failed_logins_counter, show_getting_started) VALUES ("
            + $"{p.Add(user.Username)}, {p.Add(user.PasswordHash)}, {p.Add(user.Role)}, {p.Add(user.Active)}, {p.Add(user.CreatedAt)}, "
            + $"{p.Add(user.FirstLoginAt)}, {p.Add(user.LastLoginAt)}, {p.Add(user.LastFailedLoginAt)}, {p.Add(user.FailedLoginsCounter)}, "
            + $"{p.Add(user.ShowGettingStarted)}) ON CONFLICT (username) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw StratusException.Conflict($"User with ID `{user.Username}` already exists");
        }

        await session.CommitAsync(cancellationToken);
    }

    public Task<User?> GetUserAsync(string username, CancellationToken cancellationToken = default)
    {
        var parameters = new SqlParameters();
        return ReadOneAsync($"SELECT {UserColumns} FROM users WHERE username = {parameters.Add(username)}", parameters, ReadUser, cancellationToken);
    }

    public async Task<UserAccess?> GetUserAccessAsync(string username, string tenantName, CancellationToken cancellationToken = default)
    {
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        await using var snapshot = await Dialect.BeginSnapshotAsync(connection, cancellationToken);
        var p = new SqlParameters();
        var user = (await QueryAsync(connection, snapshot, $"SELECT {UserColumns} FROM users WHERE username = {p.Add(username)}", p, ReadUser, cancellationToken))
            .FirstOrDefault();
        if (user is null)
        {
            return null;
        }

        p = new SqlParameters();
        var id = p.Add(user.StorageId);
        var tenant = p.Add(tenantName);
        var groupRoles = await QueryAsync(
            connection,
            snapshot,
            $"SELECT DISTINCT g.role FROM user_groups g JOIN user_groups_users gu ON gu.group_id = g.storage_id WHERE gu.user_id = {id} ORDER BY g.role",
            p,
            r => r.String("role"),
            cancellationToken);
        var tenantRoles = await QueryAsync(
            connection,
            snapshot,
            "SELECT ut.role FROM users_tenants ut JOIN tenants t ON t.storage_id = ut.tenant_id "
                + $"WHERE ut.user_id = {id} AND t.name = {tenant} "
                + "UNION SELECT gt.role FROM groups_tenants gt JOIN user_groups_users gu ON gu.group_id = gt.group_id "
                + $"JOIN tenants t ON t.storage_id = gt.tenant_id WHERE gu.user_id = {id} AND t.name = {tenant}",
            p,
            r => r.String("role"),
            cancellationToken);
        return new UserAccess(user, groupRoles, [.. tenantRoles.Order(StringComparer.Ordinal)]);
    }

    public async Task<User> UpdateUserAsync(string username, UserUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Role is not null)
        {
            CheckSystemRole(update.Role);
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var user = (await QueryAsync(
                session, $"SELECT {UserColumns} FROM users WHERE username = {p.Add(username)}{Dialect.ForUpdate}", p, ReadUser, cancellationToken))
            .FirstOrDefault() ?? throw NotFound("User", username);
        if (update.Role is not null && update.Role != SysAdminRole)
        {
            await RefuseLastSysAdminAsync(session, user, "modify the role of", cancellationToken);
        }

        if (update.Active == false)
        {
            await RefuseLastSysAdminAsync(session, user, "deactivate", cancellationToken);
        }

        p = new SqlParameters();
        var sets = new List<string>();
        if (update.PasswordHash is not null)
        {
            sets.Add($"password_hash = {p.Add(update.PasswordHash)}");
        }

        if (update.Role is not null)
        {
            sets.Add($"role = {p.Add(update.Role)}");
        }

        if (update.Active is { } active)
        {
            sets.Add($"active = {p.Add(active)}");
        }

        if (update.ShowGettingStarted is { } show)
        {
            sets.Add($"show_getting_started = {p.Add(show)}");
        }

        if (update.Unlock)
        {
            sets.Add("failed_logins_counter = 0");
        }

        if (sets.Count > 0)
        {
            await ExecuteAsync(session, $"UPDATE users SET {string.Join(", ", sets)} WHERE storage_id = {p.Add(user.StorageId)}", p, cancellationToken);
        }

        p = new SqlParameters();
        var updated = (await QueryAsync(
            session, $"SELECT {UserColumns} FROM users WHERE storage_id = {p.Add(user.StorageId)}", p, ReadUser, cancellationToken))[0];
        await session.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task DeleteUserAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var user = (await QueryAsync(
                session, $"SELECT {UserColumns} FROM users WHERE username = {p.Add(username)}{Dialect.ForUpdate}", p, ReadUser, cancellationToken))
            .FirstOrDefault() ?? throw NotFound("User", username);
        await RefuseLastSysAdminAsync(session, user, "delete", cancellationToken);

        p = new SqlParameters();
        var name = p.Add(username);
        var counts = string.Join(", ", OwnedResources.Select((r, i) => $"(SELECT COUNT(*) FROM {r.Table} WHERE created_by = {name}) AS c{i}"));
        var owned = (await QueryAsync(
            session,
            "SELECT " + counts,
            p,
            r => OwnedResources.Select((t, i) => (t.Noun, Count: r.Long("c" + i))).Where(x => x.Count > 0).Select(x => x.Noun).ToList(),
            cancellationToken))[0];
        if (owned.Count > 0)
        {
            throw StratusException.DependentExists(
                $"User `{username}` cannot be deleted: the user has {string.Join(", ", owned)}; change their owner or delete them first");
        }

        p = new SqlParameters();
        await ExecuteAsync(session, $"DELETE FROM users WHERE storage_id = {p.Add(user.StorageId)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task RecordLoginAsync(string username, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var sql = succeeded
            ? $"UPDATE users SET failed_logins_counter = 0, last_login_at = {p.Add(at)}, first_login_at = COALESCE(first_login_at, {p.Add(at)}) "
                + $"WHERE username = {p.Add(username)}"
            : $"UPDATE users SET failed_logins_counter = failed_logins_counter + 1, last_failed_login_at = {p.Add(at)} "
                + $"WHERE username = {p.Add(username)}";
        await ExecuteAsync(session, sql, p, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Cloudify keeps at least one active sys_admin: the last one cannot be deleted, deactivated or demoted.</summary>
    private async Task RefuseLastSysAdminAsync(WriteSession session, User user, string action, CancellationToken cancellationToken)
    {
        if (user.Role != SysAdminRole || !user.Active)
        {
            return;
        }

        // PostgreSQL: the active sys_admins are locked, so two sessions cannot each remove "the other" last one.
        var p = new SqlParameters();
        var admins = await QueryAsync(
            session,
            $"SELECT storage_id FROM users WHERE role = {p.Add(SysAdminRole)} AND active = {p.Add(true)} ORDER BY storage_id{Dialect.ForUpdate}",
            p,
            r => r.Long("storage_id"),
            cancellationToken);
        if (!admins.Any(id => id != user.StorageId))
        {
            throw StratusException.BadParameters($"Cannot {action} the last active sys_admin");
        }
    }

    private static void CheckSystemRole(string role)
    {
        if (!SystemRoles.Contains(role, StringComparer.Ordinal))
        {
            throw StratusException.BadParameters(
                $"Invalid role: `{role}`. Valid system_role roles are: {string.Join(", ", SystemRoles)}");
        }
    }

    private static User ReadUser(Row row) => new()
    {
        StorageId = row.Long("storage_id"),
        Username = row.String("username"),
        PasswordHash = row.String("password_hash"),
        Role = row.String("role"),
        Active = row.Bool("active"),
        CreatedAt = row.Timestamp("created_at"),
        FirstLoginAt = row.NullableTimestamp("first_login_at"),
        LastLoginAt = row.NullableTimestamp("last_login_at"),
        LastFailedLoginAt = row.NullableTimestamp("last_failed_login_at"),
        FailedLoginsCounter = row.Int("failed_logins_counter"),
        ShowGettingStarted = row.Bool("show_getting_started"),
    };
}
