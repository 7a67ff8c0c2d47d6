using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    public async Task CreateUserGroupAsync(UserGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        CheckSystemRole(group.Role);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO user_groups (name, ldap_dn, role, created_at) VALUES "
            + $"({p.Add(group.Name)}, {p.Add(group.LdapDn)}, {p.Add(group.Role)}, {p.Add(group.CreatedAt)}) ON CONFLICT DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw StratusException.Conflict($"Group `{group.Name}` already exists");
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task DeleteUserGroupAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        if (await ExecuteAsync(session, $"DELETE FROM user_groups WHERE name = {p.Add(name)}", p, cancellationToken) == 0)
        {
            throw NotFound("Group", name);
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task SetUserGroupRoleAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        CheckSystemRole(role);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        if (await ExecuteAsync(session, $"UPDATE user_groups SET role = {p.Add(role)} WHERE name = {p.Add(name)}", p, cancellationToken) == 0)
        {
            throw NotFound("Group", name);
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task AddUserToGroupAsync(string username, string groupName, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var userId = await IdOfAsync(session, "users", "username", username, "User", cancellationToken);
        var groupId = await IdOfAsync(session, "user_groups", "name", groupName, "Group", cancellationToken);
        var p = new SqlParameters();
        var sql = $"INSERT INTO user_groups_users (group_id, user_id) VALUES ({p.Add(groupId)}, {p.Add(userId)}) ON CONFLICT DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw StratusException.Conflict($"User `{username}` is already a member of group `{groupName}`");
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task RemoveUserFromGroupAsync(string username, string groupName, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var userId = await IdOfAsync(session, "users", "username", username, "User", cancellationToken);
        var groupId = await IdOfAsync(session, "user_groups", "name", groupName, "Group", cancellationToken);
        var p = new SqlParameters();
        if (await ExecuteAsync(
                session, $"DELETE FROM user_groups_users WHERE group_id = {p.Add(groupId)} AND user_id = {p.Add(userId)}", p, cancellationToken) == 0)
        {
            throw StratusException.NotFound($"User `{username}` is not a member of group `{groupName}`");
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task<IdentitySnapshot> ReadIdentityAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        await using var snapshot = await Dialect.BeginSnapshotAsync(connection, cancellationToken);
        var tenants = await QueryAsync(connection, snapshot, "SELECT storage_id, name FROM tenants ORDER BY name", null, ReadTenant, cancellationToken);
        var users = await QueryAsync(connection, snapshot, $"SELECT {UserColumns} FROM users ORDER BY username", null, ReadUser, cancellationToken);
        var groups = await QueryAsync(
            connection, snapshot, "SELECT storage_id, name, ldap_dn, role, created_at FROM user_groups ORDER BY name", null, ReadUserGroup, cancellationToken);
        var userGrants = await QueryAsync(
            connection,
            snapshot,
            "SELECT t.name AS tenant, u.username AS principal, ut.role FROM users_tenants ut "
                + "JOIN users u ON u.storage_id = ut.user_id JOIN tenants t ON t.storage_id = ut.tenant_id ORDER BY t.name, u.username",
            null,
            ReadGrant,
            cancellationToken);
        var groupGrants = await QueryAsync(
            connection,
            snapshot,
            "SELECT t.name AS tenant, g.name AS principal, gt.role FROM groups_tenants gt "
                + "JOIN user_groups g ON g.storage_id = gt.group_id JOIN tenants t ON t.storage_id = gt.tenant_id ORDER BY t.name, g.name",
            null,
            ReadGrant,
            cancellationToken);
        var memberships = await QueryAsync(
            connection,
            snapshot,
            "SELECT g.name AS group_name, u.username FROM user_groups_users gu "
                + "JOIN user_groups g ON g.storage_id = gu.group_id JOIN users u ON u.storage_id = gu.user_id ORDER BY g.name, u.username",
            null,
            r => new GroupMembership(r.String("group_name"), r.String("username")),
            cancellationToken);
        return new IdentitySnapshot(tenants, users, groups, userGrants, groupGrants, memberships);
    }

    private static TenantGrant ReadGrant(Row row) => new(row.String("tenant"), row.String("principal"), row.String("role"));

    private static UserGroup ReadUserGroup(Row row) => new()
    {
        StorageId = row.Long("storage_id"),
        Name = row.String("name"),
        LdapDn = row.NullableString("ldap_dn"),
        Role = row.String("role"),
        CreatedAt = row.Timestamp("created_at"),
    };
}
