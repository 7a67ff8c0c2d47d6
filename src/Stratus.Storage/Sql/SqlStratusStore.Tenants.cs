using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private static readonly string[] TenantRoles = ["manager", "user", "operations", "viewer"];

    /// <summary>Tenant-scoped tables whose rows keep a tenant from being deleted, with the word the refusal uses (executions are history and go with the tenant).</summary>
    private static readonly (string Table, string Noun)[] TenantResources =
    [
        ("blueprints", "blueprints"), ("deployments", "deployments"), ("plugins", "plugins"),
        ("secrets", "secrets"), ("deployment_groups", "deployment groups"),
    ];

    public async Task<Tenant> EnsureTenantAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var parameters = new SqlParameters();
        var nameParameter = parameters.Add(name);
        await ExecuteAsync(
            session, $"INSERT INTO tenants (name) VALUES ({nameParameter}) ON CONFLICT (name) DO NOTHING", parameters, cancellationToken);
        var tenants = await QueryAsync(
            session, $"SELECT storage_id, name FROM tenants WHERE name = {nameParameter}", parameters, ReadTenant, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return tenants[0];
    }

    public async Task<Tenant> CreateTenantAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var tenants = await QueryAsync(
            session,
            $"INSERT INTO tenants (name) VALUES ({p.Add(name)}) ON CONFLICT (name) DO NOTHING RETURNING storage_id, name",
            p,
            ReadTenant,
            cancellationToken);
        if (tenants.Count == 0)
        {
            throw StratusException.Conflict($"Tenant `{name}` already exists");
        }

        await session.CommitAsync(cancellationToken);
        return tenants[0];
    }

    public async Task DeleteTenantAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var tenant = p.Add(name);
        var tenantId = (await QueryAsync(
                session, $"SELECT storage_id FROM tenants WHERE name = {tenant}{Dialect.ForUpdate}", p, r => (long?)r.Long("storage_id"), cancellationToken))
            .FirstOrDefault() ?? throw NotFound("Tenant", name);
        var idParameter = p.Add(tenantId);
        var counts = string.Join(
            ", ",
            TenantResources.Select((r, i) => $"(SELECT COUNT(*) FROM {r.Table} WHERE tenant = {tenant}) AS c{i}")
                .Append($"(SELECT COUNT(*) FROM users_tenants WHERE tenant_id = {idParameter}) AS users")
                .Append($"(SELECT COUNT(*) FROM groups_tenants WHERE tenant_id = {idParameter}) AS user_groups"));
        var held = (await QueryAsync(
            session,
            "SELECT " + counts,
            p,
            r => TenantResources.Select((t, i) => (t.Noun, Count: r.Long("c" + i)))
                .Append(("users", r.Long("users"))).Append(("user groups", r.Long("user_groups")))
                .Where(x => x.Item2 > 0)
                .Select(x => $"{x.Item1} ({x.Item2})")
                .ToList(),
            cancellationToken))[0];
        if (held.Count > 0)
        {
            throw StratusException.DependentExists(
                $"Cannot delete tenant `{name}`: it still has {string.Join(", ", held)}; remove them first");
        }

        // What remains is history: system executions (blueprint uploads) with their graphs and events, which cascade.
        p = new SqlParameters();
        await ExecuteAsync(session, $"DELETE FROM executions WHERE tenant = {p.Add(name)}", p, cancellationToken);
        p = new SqlParameters();
        await ExecuteAsync(session, $"DELETE FROM tenants WHERE storage_id = {p.Add(tenantId)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public Task<Tenant?> GetTenantAsync(string name, CancellationToken cancellationToken = default)
    {
        var parameters = new SqlParameters();
        return ReadOneAsync(
            $"SELECT storage_id, name FROM tenants WHERE name = {parameters.Add(name)}", parameters, ReadTenant, cancellationToken);
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync("SELECT storage_id, name FROM tenants ORDER BY name", null, ReadTenant, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> GetUserTenantRolesAsync(string username, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var rows = await ReadAsync(
            "SELECT t.name, ut.role FROM users_tenants ut JOIN users u ON u.storage_id = ut.user_id "
                + $"JOIN tenants t ON t.storage_id = ut.tenant_id WHERE u.username = {p.Add(username)} ORDER BY t.name",
            p,
            r => (Tenant: r.String("name"), Role: r.String("role")),
            cancellationToken);
        return rows.ToDictionary(r => r.Tenant, r => r.Role, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetUserRolesByTenantAsync(
        string username, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var user = p.Add(username);
        var rows = await ReadAsync(
            "SELECT t.name, ut.role FROM users_tenants ut JOIN users u ON u.storage_id = ut.user_id "
                + $"JOIN tenants t ON t.storage_id = ut.tenant_id WHERE u.username = {user} "
                + "UNION SELECT t.name, gt.role FROM groups_tenants gt JOIN user_groups_users gu ON gu.group_id = gt.group_id "
                + $"JOIN users u ON u.storage_id = gu.user_id JOIN tenants t ON t.storage_id = gt.tenant_id WHERE u.username = {user} "
                + "ORDER BY 1, 2",
            p,
            r => (Tenant: r.String("name"), Role: r.String("role")),
            cancellationToken);
        return rows.GroupBy(r => r.Tenant, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.Role)], StringComparer.Ordinal);
    }

    private static void CheckTenantRole(string role)
    {
        if (!TenantRoles.Contains(role, StringComparer.Ordinal))
        {
            throw StratusException.BadParameters(
                $"Invalid role: `{role}`. Valid tenant_role roles are: {string.Join(", ", TenantRoles)}");
        }
    }

    private async Task<long> IdOfAsync(WriteSession session, string table, string column, string value, string resource, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        return (await QueryAsync(
                session, $"SELECT storage_id FROM {table} WHERE {column} = {p.Add(value)}", p, r => (long?)r.Long("storage_id"), cancellationToken))
            .FirstOrDefault() ?? throw NotFound(resource, value);
    }

    private static Tenant ReadTenant(Row row) => new() { StorageId = row.Long("storage_id"), Name = row.String("name") };
}
