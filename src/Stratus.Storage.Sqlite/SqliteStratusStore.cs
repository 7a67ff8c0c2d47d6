using Stratus.Storage.Migrations;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Concurrency rule: a single writer gate serializes every write
/// transaction of this process (and <c>BEGIN IMMEDIATE</c> with a busy timeout serializes processes); readers run
/// concurrently on their own connections. Call <see cref="IStratusStore.MigrateAsync"/> once before use.
/// </summary>
public sealed class SqliteStratusStore : SqlStratusStore
{
    /// <param name="databasePath">A file path, or a full SQLite connection string (anything containing <c>=</c>).</param>
    /// <param name="timeProvider">The clock for the timestamps the store itself writes.</param>
    public SqliteStratusStore(string databasePath, TimeProvider timeProvider)
        : base(new SqliteDialect(databasePath), MigrationScript.LoadEmbedded(typeof(SqliteStratusStore).Assembly), timeProvider)
    {
    }
}
