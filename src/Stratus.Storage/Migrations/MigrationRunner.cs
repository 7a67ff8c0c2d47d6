using System.Globalization;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Migrations;

/// <summary>
/// Applies versioned scripts in order inside the caller's write transaction and records each in
/// <c>schema_version</c>. The provider's migration lock (SQLite: the writer gate plus <c>BEGIN IMMEDIATE</c>;
/// PostgreSQL: a transaction-scoped advisory lock) is taken first, so two managers starting at once apply each
/// script exactly once: the second waits, then finds nothing left to do.
/// </summary>
internal static class MigrationRunner
{
    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

    public static async Task<IReadOnlyList<int>> ApplyAsync(
        SqlStratusStore store,
        WriteSession session,
        IReadOnlyList<MigrationScript> scripts,
        CancellationToken cancellationToken)
    {
        await store.Dialect.LockMigrationsAsync(session, cancellationToken);
        await store.ExecuteAsync(session.Connection, session.Transaction, CreateVersionTable, null, cancellationToken);
        var applied = (await store.QueryAsync(
                session.Connection,
                session.Transaction,
                "SELECT version FROM schema_version",
                null,
                row => row.Int("version"),
                cancellationToken))
            .ToHashSet();

        var newlyApplied = new List<int>();
        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)).OrderBy(s => s.Version))
        {
            await store.ExecuteAsync(session.Connection, session.Transaction, script.Sql, null, cancellationToken);
            var parameters = new SqlParameters();
            var sql = $"INSERT INTO schema_version (version, name, applied_at) VALUES ({parameters.Add(script.Version)}, "
                + $"{parameters.Add(script.Name)}, "
                + $"{parameters.Add(store.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))})";
            await store.ExecuteAsync(session.Connection, session.Transaction, sql, parameters, cancellationToken);
            newlyApplied.Add(script.Version);
        }

        return newlyApplied;
    }
}
