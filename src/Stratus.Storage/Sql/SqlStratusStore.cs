using System.Data.Common;
using Stratus.Core.Errors;
using Stratus.Storage.Migrations;

namespace Stratus.Storage.Sql;

/// <summary>
/// The SQL implementation of <see cref="IStratusStore"/> shared by the SQLite and PostgreSQL providers. The SQL is
/// the common subset both databases run (ON CONFLICT, multi-row VALUES, CASE batches, LIMIT/OFFSET) so the two
/// providers cannot drift apart; what differs, including each provider's concurrency rule, sits behind
/// <see cref="SqlDialect"/>. Every write runs in one write session (one transaction), so a caller never observes
/// half of a multi-row change. Execution, task-graph and operation ids are unique across tenants (they are UUIDs and
/// the engine addresses them without a tenant); every other resource is unique per tenant.
/// </summary>
public abstract partial class SqlStratusStore : IStratusStore, IAsyncDisposable
{
    /// <summary>Rows per multi-row INSERT; keeps every statement under both databases' parameter limits.</summary>
    private const int BatchRows = 400;

    private readonly IReadOnlyList<MigrationScript> _migrations;

    private protected SqlStratusStore(SqlDialect dialect, IReadOnlyList<MigrationScript> migrations, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Dialect = dialect;
        _migrations = migrations;
        TimeProvider = timeProvider;
    }

    internal SqlDialect Dialect { get; }

    internal TimeProvider TimeProvider { get; }

    public async ValueTask DisposeAsync()
    {
        await Dialect.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await MigrationRunner.ApplyAsync(this, session, _migrations, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private DateTimeOffset Now() => SqlDialect.ToStoredPrecision(TimeProvider.GetUtcNow());

    private static StratusException NotFound(string resource, string id) =>
        StratusException.NotFound($"Requested `{resource}` with ID `{id}` was not found");

    private static StratusException Duplicate(string resource, string id, string tenant) =>
        StratusException.Conflict($"{resource} with ID `{id}` already exists on tenant `{tenant}`");

    internal DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, SqlParameters? parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // SQL text is built only from constants and whitelisted columns; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        if (parameters is not null)
        {
            foreach (var value in parameters.Values)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = value.Name;
                parameter.Value = ParameterValue(value.Value);
                if (value.IsJson)
                {
                    Dialect.MarkJson(parameter);
                }

                command.Parameters.Add(parameter);
            }
        }

        return command;
    }

    private object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset timestamp => Dialect.TimestampValue(SqlDialect.ToStoredPrecision(timestamp)),
        var other => other,
    };

    internal async Task<int> ExecuteAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string sql,
        SqlParameters? parameters,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal async Task<List<T>> QueryAsync<T>(
        DbConnection connection,
        DbTransaction? transaction,
        string sql,
        SqlParameters? parameters,
        Func<Row, T> map,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        var row = new Row(reader, Dialect);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(row));
        }

        return rows;
    }

    internal async Task<long> CountAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string sql,
        SqlParameters? parameters,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<int> ExecuteAsync(WriteSession session, string sql, SqlParameters? parameters, CancellationToken cancellationToken) =>
        ExecuteAsync(session.Connection, session.Transaction, sql, parameters, cancellationToken);

    private Task<List<T>> QueryAsync<T>(
        WriteSession session,
        string sql,
        SqlParameters? parameters,
        Func<Row, T> map,
        CancellationToken cancellationToken) =>
        QueryAsync(session.Connection, session.Transaction, sql, parameters, map, cancellationToken);

    private async Task<List<T>> ReadAsync<T>(string sql, SqlParameters? parameters, Func<Row, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        return await QueryAsync(connection, null, sql, parameters, map, cancellationToken);
    }

    /// <summary>One row and what <paramref name="complete"/> adds to it from other tables, read in one snapshot.</summary>
    private async Task<T?> ReadOneAsync<T>(
        string sql, SqlParameters? parameters, Func<Row, T> map, Func<DbConnection, DbTransaction, T, Task<T>> complete, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        await using var snapshot = await Dialect.BeginSnapshotAsync(connection, cancellationToken);
        var rows = await QueryAsync(connection, snapshot, sql, parameters, map, cancellationToken);
        return rows.Count > 0 ? await complete(connection, snapshot, rows[0]) : null;
    }

    private async Task<T?> ReadOneAsync<T>(string sql, SqlParameters? parameters, Func<Row, T> map, CancellationToken cancellationToken)
        where T : class
    {
        var rows = await ReadAsync(sql, parameters, map, cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>The tenant condition of a list: the tenant named, or the query's <see cref="ListQuery.Tenants"/> (<c>_all_tenants</c>).</summary>
    private static string InTenants(SqlParameters p, string column, string tenantName, ListQuery query) =>
        query.Tenants switch
        {
            null => $"{column} = {p.Add(tenantName)}",
            { Count: 0 } => "1 = 0",
            var tenants => $"{column} IN ({p.AddList(tenants)})",
        };

    /// <summary>
    /// One page: the rows of <paramref name="select"/> over <paramref name="from"/> where <paramref name="where"/>
    /// holds and the query's filters apply, and the exact total of the same filter (Cloudify's pagination metadata).
    /// </summary>
    private async Task<Page<T>> PageAsync<T>(
        FieldMap map,
        string select,
        string from,
        string where,
        SqlParameters parameters,
        ListQuery query,
        Func<Row, T> read,
        CancellationToken cancellationToken,
        Func<DbConnection, DbTransaction, List<T>, Task<List<T>>>? complete = null)
    {
        var compiled = ListQueryCompiler.Compile(map, query, parameters, Dialect);
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);

        // One snapshot for both statements, so the total always describes the rows the page was cut from.
        await using var snapshot = await Dialect.BeginSnapshotAsync(connection, cancellationToken);
        var total = await CountAsync(
            connection, snapshot, $"SELECT COUNT(*) FROM {from} WHERE {where}{compiled.Where}", parameters, cancellationToken);
        var items = await QueryAsync(
            connection,
            snapshot,
            $"SELECT {select} FROM {from} WHERE {where}{compiled.Where}{compiled.OrderBy}{compiled.Limit}",
            parameters,
            read,
            cancellationToken);
        if (complete is not null)
        {
            items = await complete(connection, snapshot, items);
        }

        return query.GetAll
            ? new Page<T>(items, total, 0, items.Count)
            : new Page<T>(items, total, query.Offset, query.Size);
    }

    /// <summary>
    /// Runs one multi-row INSERT per <see cref="BatchRows"/> items, or, where the provider prefers it, one prepared
    /// single-row INSERT per item.
    /// </summary>
    private async Task InsertBatchedAsync<T>(
        WriteSession session,
        string insertPrefix,
        IReadOnlyList<T> items,
        Func<T, SqlParameters, string> valuesRow,
        CancellationToken cancellationToken,
        string suffix = "")
    {
        if (Dialect.PrefersSingleRowStatements)
        {
            await ExecuteEachAsync(session, items, (item, p) => insertPrefix + " VALUES " + valuesRow(item, p) + suffix, cancellationToken);
            return;
        }

        for (var start = 0; start < items.Count; start += BatchRows)
        {
            var parameters = new SqlParameters();
            var rows = new List<string>(Math.Min(BatchRows, items.Count - start));
            for (var i = start; i < Math.Min(start + BatchRows, items.Count); i++)
            {
                rows.Add(valuesRow(items[i], parameters));
            }

            await ExecuteAsync(session, insertPrefix + " VALUES " + string.Join(", ", rows) + suffix, parameters, cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="statement"/> once per item on one command, so consecutive items with the same SQL text
    /// reuse its prepared statement and only rebind their values.
    /// </summary>
    private async Task<int> ExecuteEachAsync<T>(
        WriteSession session,
        IReadOnlyList<T> items,
        Func<T, SqlParameters, string> statement,
        CancellationToken cancellationToken)
    {
        var changed = 0;
        DbCommand? command = null;
        try
        {
            foreach (var item in items)
            {
                var parameters = new SqlParameters();
                var sql = statement(item, parameters);
                if (command is null || !string.Equals(command.CommandText, sql, StringComparison.Ordinal)
                    || command.Parameters.Count != parameters.Values.Count)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = Command(session.Connection, session.Transaction, sql, parameters);
                }
                else
                {
                    for (var i = 0; i < parameters.Values.Count; i++)
                    {
                        command.Parameters[i].Value = ParameterValue(parameters.Values[i].Value);
                    }
                }

                changed += await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return changed;
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }
}
