using Stratus.Storage.Migrations;
using Stratus.Storage.Sql;

namespace Stratus.Storage.PostgreSql;

/// <summary>
/// The production store on PostgreSQL, through one <see cref="Npgsql.NpgsqlDataSource"/> (disposed with the store).
/// Atomic multi-step writes rely on row locks, <c>ON CONFLICT</c> and advisory locks, as documented on
/// <see cref="PostgreSqlDialect"/>. Call <see cref="IStratusStore.MigrateAsync"/> once before use.
/// </summary>
public sealed class PostgreSqlStratusStore : SqlStratusStore
{
    /// <param name="connectionString">An Npgsql connection string to the Stratus database.</param>
    /// <param name="timeProvider">The clock for the timestamps the store itself writes.</param>
    public PostgreSqlStratusStore(string connectionString, TimeProvider timeProvider)
        : base(
            new PostgreSqlDialect(connectionString),
            MigrationScript.LoadEmbedded(typeof(PostgreSqlStratusStore).Assembly),
            timeProvider)
    {
    }
}
