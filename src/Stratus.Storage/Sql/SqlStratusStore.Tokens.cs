using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string TokenSelect =
        "SELECT k.id, k.secret_hash, k.description, k.created_at, k.expiration_date, k.last_used, u.username, u.role "
        + "FROM tokens k JOIN users u ON u.storage_id = k.user_id";

    public async Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var userId = await IdOfAsync(session, "users", "username", token.Username, "User", cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO tokens (id, secret_hash, description, user_id, created_at, expiration_date, last_used) VALUES ("
            + $"{p.Add(token.Id)}, {p.Add(token.SecretHash)}, {p.Add(token.Description)}, {p.Add(userId)}, {p.Add(token.CreatedAt)}, "
            + $"{p.Add(token.ExpirationDate)}, {p.Add(token.LastUsed)}) ON CONFLICT (id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw StratusException.Conflict($"Token with ID `{token.Id}` already exists");
        }

        await session.CommitAsync(cancellationToken);
    }

    public Task<ApiToken?> GetTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync($"{TokenSelect} WHERE k.id = {p.Add(id)}", p, ReadToken, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var where = username is null ? "" : $" WHERE u.username = {p.Add(username)}";
        return await ReadAsync($"{TokenSelect}{where} ORDER BY k.id", p, ReadToken, cancellationToken);
    }

    public async Task<bool> DeleteTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var deleted = await ExecuteAsync(session, $"DELETE FROM tokens WHERE id = {p.Add(id)}", p, cancellationToken) > 0;
        await session.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task DeleteExpiredTokensAsync(string username, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        await ExecuteAsync(
            session,
            $"DELETE FROM tokens WHERE expiration_date <= {p.Add(now)} AND user_id IN (SELECT storage_id FROM users WHERE username = {p.Add(username)})",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task TouchTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        await ExecuteAsync(session, $"UPDATE tokens SET last_used = {p.Add(at)} WHERE id = {p.Add(id)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private static ApiToken ReadToken(Row row) => new()
    {
        Id = row.String("id"),
        SecretHash = row.String("secret_hash"),
        Description = row.NullableString("description"),
        CreatedAt = row.Timestamp("created_at"),
        ExpirationDate = row.NullableTimestamp("expiration_date"),
        LastUsed = row.NullableTimestamp("last_used"),
        Username = row.String("username"),
        UserRole = row.String("role"),
    };
}
