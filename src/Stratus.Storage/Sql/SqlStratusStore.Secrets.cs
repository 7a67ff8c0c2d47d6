using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string SecretResource = "secret";

    private const string SecretColumns =
        "s.tenant, s.id, s.value, s.is_hidden_value, s.schema, s.visibility, s.created_by, s.created_at, s.updated_at";

    public async Task InsertSecretAsync(Secret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await Dialect.LockResourceIdAsync(session, SecretResource, secret.Key, cancellationToken);
        await EnsureSecretKeyFreeAsync(session, secret, secret.Visibility, cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO secrets (tenant, id, value, is_hidden_value, schema, visibility, created_by, created_at, updated_at) VALUES ("
            + $"{p.Add(secret.TenantName)}, {p.Add(secret.Key)}, {p.Add(secret.EncryptedValue)}, {p.Add(secret.IsHiddenValue)}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(secret.Schema))}, {p.Add(secret.Visibility)}, {p.Add(secret.CreatedBy)}, "
            + $"{p.Add(secret.CreatedAt)}, {p.Add(secret.UpdatedAt)}) ON CONFLICT (tenant, id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw SecretExists(secret);
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task<Secret?> GetSecretAsync(string tenantName, string key, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var rows = await ReadAsync(
            $"SELECT {SecretColumns} FROM secrets s WHERE s.id = {p.Add(key)} AND {SecretVisibleTo(p, tenantName)}",
            p,
            ReadSecret,
            cancellationToken);

        // The tenant's own secret wins over a global one of another tenant (both can exist only if the global one was
        // made global before this tenant's was created, which the insert refuses; kept deterministic regardless).
        return rows.FirstOrDefault(s => s.TenantName == tenantName) ?? rows.FirstOrDefault();
    }

    public Task<Page<Secret>> ListSecretsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(FieldMaps.Secrets, SecretColumns, "secrets s", SecretVisibleTo(p, tenantName, query), p, query, ReadSecret, cancellationToken);
    }

    public async Task<bool> UpdateSecretAsync(Secret expected, Secret updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        if (expected.TenantName != updated.TenantName || expected.Key != updated.Key)
        {
            throw new ArgumentException("An update keeps the secret's tenant and key", nameof(updated));
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await Dialect.LockResourceIdAsync(session, SecretResource, expected.Key, cancellationToken);
        if (updated.Visibility == Visibility.Global && expected.Visibility != Visibility.Global)
        {
            await EnsureSecretKeyFreeAsync(session, updated, Visibility.Global, cancellationToken);
        }

        var p = new SqlParameters();
        var sql = $"UPDATE secrets SET value = {p.Add(updated.EncryptedValue)}, is_hidden_value = {p.Add(updated.IsHiddenValue)}, "
            + $"visibility = {p.Add(updated.Visibility)}, created_by = {p.Add(updated.CreatedBy)}, updated_at = {p.Add(updated.UpdatedAt)} "
            + $"WHERE tenant = {p.Add(expected.TenantName)} AND id = {p.Add(expected.Key)} AND value = {p.Add(expected.EncryptedValue)} "
            + $"AND is_hidden_value = {p.Add(expected.IsHiddenValue)} AND visibility = {p.Add(expected.Visibility)} "
            + $"AND created_by = {p.Add(expected.CreatedBy)} AND updated_at = {p.Add(expected.UpdatedAt)}";
        var changed = await ExecuteAsync(session, sql, p, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<bool> DeleteSecretAsync(string tenantName, string key, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var deleted = await ExecuteAsync(session, $"DELETE FROM secrets WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(key)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>
    /// Cloudify's unique-per-tenant rule with globals: the key must not be visible to the secret's tenant already, and a
    /// global secret's key must not exist in any other tenant.
    /// </summary>
    private async Task EnsureSecretKeyFreeAsync(WriteSession session, Secret secret, string visibility, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var others = visibility == Visibility.Global
            ? $"s.tenant <> {p.Add(secret.TenantName)}"
            : $"s.tenant <> {p.Add(secret.TenantName)} AND s.visibility = {p.Add(Visibility.Global)}";
        var clash = await QueryAsync(
            session,
            $"SELECT s.tenant FROM secrets s WHERE s.id = {p.Add(secret.Key)} AND {others}",
            p,
            r => r.String("tenant"),
            cancellationToken);
        if (clash.Count > 0)
        {
            throw visibility == Visibility.Global
                ? StratusException.Conflict(
                    $"Can't set or create the resource <Secret id=`{secret.Key}` tenant=`{secret.TenantName}`>, its visibility can't be global because it also exists in other tenants")
                : SecretExists(secret);
        }
    }

    private static string SecretVisibleTo(SqlParameters p, string tenantName, ListQuery? query = null) =>
        $"({InTenants(p, "s.tenant", tenantName, query ?? ListQuery.All)} OR s.visibility = {p.Add(Visibility.Global)})";

    private static StratusException SecretExists(Secret secret) =>
        StratusException.Conflict(
            $"<Secret id=`{secret.Key}` tenant=`{secret.TenantName}`> already exists on <Tenant name=`{secret.TenantName}`> or with global visibility");

    private static Secret ReadSecret(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Key = row.String("id"),
        EncryptedValue = row.String("value"),
        IsHiddenValue = row.Bool("is_hidden_value"),
        Schema = row.NullableObject("schema"),
        Visibility = row.String("visibility"),
        CreatedBy = row.String("created_by"),
        CreatedAt = row.Timestamp("created_at"),
        UpdatedAt = row.Timestamp("updated_at"),
    };
}
