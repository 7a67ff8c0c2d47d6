using System.Data.Common;
using System.Text.Json.Nodes;

namespace Stratus.Storage.Sql;

/// <summary>
/// What differs between the SQL providers: how connections and write transactions are obtained (the provider's
/// concurrency rule lives here), how timestamps and JSON travel, and the few SQL spellings that differ.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>A connection for reads; readers never wait for the writer.</summary>
    public abstract ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken);

    /// <summary>A read-only transaction on <paramref name="connection"/> whose statements all see one snapshot.</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A connection with an open write transaction, entered under the provider's concurrency rule.</summary>
    public abstract ValueTask<WriteSession> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True where a statement costs no round trip but large statements cost more than their rows: such providers run
    /// multi-row writes as one prepared single-row statement executed once per row, in the same transaction.
    /// </summary>
    public virtual bool PrefersSingleRowStatements => false;

    /// <summary>
    /// A SELECT yielding <paramref name="rows"/> in their order (each row's values in the order of
    /// <paramref name="kinds"/>) through a fixed number of parameters however many rows there are, so a batch is one
    /// set-based statement with no per-row binding (PostgreSQL: one array per column, unnested); it may be followed by
    /// <c>ON CONFLICT</c> in an <c>INSERT ... SELECT</c>. Null where per-row prepared statements are cheaper
    /// (<see cref="PrefersSingleRowStatements"/>: SQLite, measured: 30 us of CPU per event row against 42 us through
    /// one JSON parameter and <c>json_each</c>).
    /// </summary>
    public virtual string? SelectRows(SqlParameters parameters, IReadOnlyList<RowValueKind> kinds, IReadOnlyList<object?[]> rows) => null;

    /// <summary>Suffix that locks the selected rows until commit (empty where the writer gate already serializes).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Suffix that locks the selected rows until commit and passes over rows another transaction holds, so concurrent
    /// claimers each take different rows (empty where the writer gate already serializes).
    /// </summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>Suffix that keeps the selected rows from being deleted or locked for update until commit.</summary>
    public abstract string ForShare { get; }

    /// <summary>Case-sensitive substring test of <paramref name="column"/> against a parameter.</summary>
    public abstract string Contains(string column, string parameter);

    /// <summary>
    /// A statement (ending in <c>;</c>, or empty) sent ahead of an events INSERT in the same command: it serializes
    /// writers of events so that storage ids become visible in increasing order (keyset tailing). Sent with the INSERT,
    /// the batch's parameters are on the server when the lock is granted, so the lock is held for the insert and commit only.
    /// </summary>
    public abstract string EventAppendLock { get; }

    /// <summary>
    /// Serializes, until commit, the writers of one resource id across tenants (a global resource's id must stay unique
    /// in every tenant, which no per-tenant unique index can hold).
    /// </summary>
    public abstract Task LockResourceIdAsync(WriteSession session, string resource, string id, CancellationToken cancellationToken);
    /// <summary>Serializes dequeuers of queued executions (and schedule firing) across processes for the rest of the transaction.</summary>
    public abstract Task LockExecutionQueueAsync(WriteSession session, CancellationToken cancellationToken);

    /// <summary>Serializes schema migration across processes for the rest of the transaction.</summary>
    public abstract Task LockMigrationsAsync(WriteSession session, CancellationToken cancellationToken);

    /// <summary>The parameter value that stores a timestamp (UTC, microsecond precision).</summary>
    public abstract object TimestampValue(DateTimeOffset value);

    public abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    /// <summary>Parses a non-NULL JSON column of the current row.</summary>
    public virtual JsonNode? ReadJson(DbDataReader reader, int ordinal) => JsonColumn.Parse(reader.GetString(ordinal));

    /// <summary>Marks a parameter as carrying JSON text.</summary>
    public abstract void MarkJson(DbParameter parameter);

    public abstract ValueTask DisposeAsync();

    /// <summary>Both databases keep microseconds; trimming here makes a round trip exact on either.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }
}
