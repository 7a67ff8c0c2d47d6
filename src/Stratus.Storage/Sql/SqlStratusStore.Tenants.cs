using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private static readonly string[] TenantRoles = ["manager", "user", "operations", "viewer"];

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

    public Task<Tenant?> GetTenantAsync(string name, CancellationToken cancellationToken = default)
    {
        var parameters = new SqlParameters();
        return ReadOneAsync(
            $"SELECT storage_id, name FROM tenants WHERE name = {parameters.Add(name)}", parameters, ReadTenant, cancellationToken);
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync("SELECT storage_id, name FROM tenants ORDER BY name", null, ReadTenant, cancellationToken);

    public async Task CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO users (username, password_hash, role, active, created_at) VALUES ("
            + $"{p.Add(user.Username)}, {p.Add(user.PasswordHash)}, {p.Add(user.Role)}, {p.Add(user.Active)}, {p.Add(user.CreatedAt)}) "
            + "ON CONFLICT (username) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw StratusException.Conflict($"User with ID `{user.Username}` already exists");
        }

        await session.CommitAsync(cancellationToken);
    }

    public Task<User?> GetUserAsync(string username, CancellationToken cancellationToken = default)
    {
        var parameters = new SqlParameters();
        return ReadOneAsync(
            $"SELECT storage_id, username, password_hash, role, active, created_at FROM users WHERE username = {parameters.Add(username)}",
            parameters,
            ReadUser,
            cancellationToken);
    }

    public async Task SetUserTenantRoleAsync(string username, string tenantName, string role, CancellationToken cancellationToken = default)
    {
        if (!TenantRoles.Contains(role, StringComparer.Ordinal))
        {
            throw StratusException.BadParameters(
                $"Invalid tenant role `{role}`; valid roles are: {string.Join(", ", TenantRoles)}");
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var userId = (await QueryAsync(
                session, $"SELECT storage_id FROM users WHERE username = {p.Add(username)}", p, r => (long?)r.Long("storage_id"), cancellationToken))
            .FirstOrDefault() ?? throw NotFound("User", username);
        p = new SqlParameters();
        var tenantId = (await QueryAsync(
                session, $"SELECT storage_id FROM tenants WHERE name = {p.Add(tenantName)}", p, r => (long?)r.Long("storage_id"), cancellationToken))
            .FirstOrDefault() ?? throw NotFound("Tenant", tenantName);
        p = new SqlParameters();
        await ExecuteAsync(
            session,
            $"INSERT INTO users_tenants (user_id, tenant_id, role) VALUES ({p.Add(userId)}, {p.Add(tenantId)}, {p.Add(role)}) "
                + "ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = excluded.role",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

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

    private static Tenant ReadTenant(Row row) => new() { StorageId = row.Long("storage_id"), Name = row.String("name") };

    private static User ReadUser(Row row) => new()
    {
        StorageId = row.Long("storage_id"),
        Username = row.String("username"),
        PasswordHash = row.String("password_hash"),
        Role = row.String("role"),
        Active = row.Bool("active"),
        CreatedAt = row.Timestamp("created_at"),
    };
}
