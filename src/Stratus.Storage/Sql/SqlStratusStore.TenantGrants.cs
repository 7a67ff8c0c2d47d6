using Stratus.Core.Errors;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    public Task SetUserTenantRoleAsync(string username, string tenantName, string role, CancellationToken cancellationToken = default) =>
        WriteGrantAsync(Grantee.User, username, tenantName, role, mode: null, cancellationToken);

    public Task SetUserTenantRoleAsync(string username, string tenantName, string role, GrantMode mode, CancellationToken cancellationToken = default) =>
        WriteGrantAsync(Grantee.User, username, tenantName, role, mode, cancellationToken);

    public Task RemoveUserTenantRoleAsync(string username, string tenantName, CancellationToken cancellationToken = default) =>
        RemoveGrantAsync(Grantee.User, username, tenantName, cancellationToken);

    public Task SetGroupTenantRoleAsync(string groupName, string tenantName, string role, GrantMode mode, CancellationToken cancellationToken = default) =>
        WriteGrantAsync(Grantee.Group, groupName, tenantName, role, mode, cancellationToken);

    public Task RemoveGroupTenantRoleAsync(string groupName, string tenantName, CancellationToken cancellationToken = default) =>
        RemoveGrantAsync(Grantee.Group, groupName, tenantName, cancellationToken);

    /// <summary>Add: insert or conflict; Update: update or not found; null: upsert.</summary>
    private async Task WriteGrantAsync(Grantee grantee, string name, string tenantName, string role, GrantMode? mode, CancellationToken cancellationToken)
    {
        CheckTenantRole(role);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var principalId = await IdOfAsync(session, grantee.Table, grantee.NameColumn, name, grantee.Resource, cancellationToken);
        var tenantId = await IdOfAsync(session, "tenants", "name", tenantName, "Tenant", cancellationToken);
        var p = new SqlParameters();
        var (principal, tenant, roleParameter) = (p.Add(principalId), p.Add(tenantId), p.Add(role));
        var sql = mode switch
        {
            GrantMode.Update =>
                $"UPDATE {grantee.GrantTable} SET role = {roleParameter} WHERE {grantee.IdColumn} = {principal} AND tenant_id = {tenant}",
            GrantMode.Add =>
                $"INSERT INTO {grantee.GrantTable} ({grantee.IdColumn}, tenant_id, role) VALUES ({principal}, {tenant}, {roleParameter}) "
                    + $"ON CONFLICT ({grantee.IdColumn}, tenant_id) DO NOTHING",
            _ =>
                $"INSERT INTO {grantee.GrantTable} ({grantee.IdColumn}, tenant_id, role) VALUES ({principal}, {tenant}, {roleParameter}) "
                    + $"ON CONFLICT ({grantee.IdColumn}, tenant_id) DO UPDATE SET role = excluded.role",
        };
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw mode == GrantMode.Add
                ? StratusException.Conflict($"{grantee.Resource} `{name}` is already associated with tenant `{tenantName}`")
                : StratusException.NotFound($"{grantee.Resource} `{name}` is not associated with tenant `{tenantName}`");
        }

        await session.CommitAsync(cancellationToken);
    }

    private async Task RemoveGrantAsync(Grantee grantee, string name, string tenantName, CancellationToken cancellationToken)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var principalId = await IdOfAsync(session, grantee.Table, grantee.NameColumn, name, grantee.Resource, cancellationToken);
        var tenantId = await IdOfAsync(session, "tenants", "name", tenantName, "Tenant", cancellationToken);
        var p = new SqlParameters();
        var sql = $"DELETE FROM {grantee.GrantTable} WHERE {grantee.IdColumn} = {p.Add(principalId)} AND tenant_id = {p.Add(tenantId)}";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw StratusException.NotFound($"{grantee.Resource} `{name}` is not associated with tenant `{tenantName}`");
        }

        await session.CommitAsync(cancellationToken);
    }

    /// <summary>The two kinds of tenant members and where their roles are kept.</summary>
    private sealed record Grantee(string Table, string NameColumn, string GrantTable, string IdColumn, string Resource)
    {
        public static readonly Grantee User = new("users", "username", "users_tenants", "user_id", "User");

        public static readonly Grantee Group = new("user_groups", "name", "groups_tenants", "group_id", "Group");
    }
}
