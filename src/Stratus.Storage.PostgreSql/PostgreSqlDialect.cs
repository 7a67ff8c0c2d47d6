using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Stratus.Storage.Sql;

namespace Stratus.Storage.PostgreSql;

/// <summary>
/// PostgreSQL's concurrency rules: write transactions run at READ COMMITTED from a pooled
/// <see cref="NpgsqlDataSource"/>, and each multi-step write that must be atomic locks what it depends on:
/// <list type="bullet">
/// <item>exclusive execution start: <c>SELECT ... FROM deployments ... FOR UPDATE</c> on the deployment row;</item>
/// <item>blueprint delete: <c>FOR UPDATE</c> on the blueprint row, deployment create: <c>FOR SHARE</c> on it, so a
/// delete either sees the new deployment (dependent_exists_error) or the create sees no blueprint (not_found_error);</item>
/// <item>node-instance compare-and-set: a single <c>UPDATE ... WHERE version &lt;= @expected</c>, which PostgreSQL
/// re-checks on the locked row after a concurrent writer commits;</item>
/// <item>duplicates: <c>INSERT ... ON CONFLICT DO NOTHING</c> and the affected row count;</item>
/// <item>event appends: a transaction-scoped advisory lock, so storage ids commit in increasing order and a keyset
/// tail (<c>storage_id &gt; last seen</c>) never skips an event that committed late;</item>
/// <item>execution leases: a single-statement compare-and-set on the lease columns; taking over expired leases
/// selects them <c>FOR UPDATE SKIP LOCKED</c>, so two managers scanning at once take different executions;</item>
/// <item>migrations: a transaction-scoped advisory lock, so two managers starting at once apply each script once.</item>
/// </list>
/// </summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    private const long MigrationLockKey = 0x5354_5241_5455_5301; // "STRATUS" + 1
    private const long EventAppendLockKey = 0x5354_5241_5455_5302;
    private const long ExecutionQueueLockKey = 0x5354_5241_5455_5303;

    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlDialect(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override string ForUpdate => " FOR UPDATE";

    public override string ForShare => " FOR SHARE";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    public override async ValueTask<WriteSession> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new WriteSession(connection, transaction, release: null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override string SelectRows(SqlParameters parameters, IReadOnlyList<RowValueKind> kinds, IReadOnlyList<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(rows);
        var arrays = new List<string>(kinds.Count);
        var columns = new List<string>(kinds.Count);
        for (var c = 0; c < kinds.Count; c++)
        {
            var column = c;
            if (kinds[c] == RowValueKind.Timestamp)
            {
                var values = rows.Select(r => ToStoredPrecision((DateTimeOffset)r[column]!)).ToArray();
                arrays.Add(parameters.Add(values) + "::timestamptz[]");
            }
            else
            {
                var values = rows.Select(r => (string?)r[column]).ToArray();
                arrays.Add(parameters.Add(values) + "::text[]");
            }

            columns.Add(kinds[c] == RowValueKind.Json ? $"c{c}::json" : $"c{c}");
        }

        var names = string.Join(", ", Enumerable.Range(0, kinds.Count).Select(c => $"c{c}"));
        return $"SELECT {string.Join(", ", columns)} FROM unnest({string.Join(", ", arrays)}) WITH ORDINALITY AS r({names}, n) ORDER BY n";
    }

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override string EventAppendLock => $"SELECT pg_advisory_xact_lock({EventAppendLockKey}); ";

    public override Task LockExecutionQueueAsync(WriteSession session, CancellationToken cancellationToken) =>
        AdvisoryLockAsync(session, ExecutionQueueLockKey, cancellationToken);

    public override Task LockMigrationsAsync(WriteSession session, CancellationToken cancellationToken) =>
        AdvisoryLockAsync(session, MigrationLockKey, cancellationToken);

    /// <summary>
    /// A transaction advisory lock in the two-int keyspace (apart from the single-bigint locks above): the resource's
    /// name and a hash of the id; a hash collision only serializes two unrelated writers.
    /// </summary>
    public override async Task LockResourceIdAsync(WriteSession session, string resource, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var command = session.Connection.CreateCommand();
        command.Transaction = session.Transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtext(@resource), hashtext(@id))";
        command.Parameters.Add(new NpgsqlParameter("resource", resource));
        command.Parameters.Add(new NpgsqlParameter("id", id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override object TimestampValue(DateTimeOffset value) => value.ToUniversalTime();

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override void MarkJson(DbParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Json;

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task AdvisoryLockAsync(WriteSession session, long key, CancellationToken cancellationToken)
    {
        await using var command = session.Connection.CreateCommand();
        command.Transaction = session.Transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({key})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
