using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Sqlite;

/// <summary>
/// SQLite's concurrency rule: ONE writer at a time inside this process, enforced by <see cref="_writerGate"/>, and
/// every write transaction opened with <c>BEGIN IMMEDIATE</c> so a second process waits on the database lock
/// (<c>busy_timeout</c>) instead of failing half way. Readers take no gate: in WAL mode they read the last committed
/// state while the writer works. Because writes are serialized, check-then-insert sequences (exclusive executions,
/// duplicate checks, version compare-and-set) are atomic without row locks.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private readonly string _connectionString;
    private readonly string? _directory;
    private int _walEnabled;

    public SqliteDialect(string databasePathOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePathOrConnectionString);
        var builder = databasePathOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(databasePathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = databasePathOrConnectionString };
        builder.ForeignKeys = true;
        builder.Pooling = true;
        builder.DefaultTimeout = BusyTimeoutMilliseconds / 1000;
        _connectionString = builder.ToString();
        _directory = builder.Mode is SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
            ? null
            : Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
    }

    /// <summary>
    /// SQLite is in-process, so a statement is no round trip; but it resolves named parameters by a linear scan while
    /// preparing and binding, so one statement of n rows costs O(n^2). A prepared one-row statement rebound per row is
    /// linear and skips re-parsing.
    /// </summary>
    public override bool PrefersSingleRowStatements => true;

    public override string ForUpdate => "";

    public override string ForShare => "";

    public override string ForUpdateSkipLocked => "";

    public override async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken);

    /// <summary>A deferred transaction: in WAL mode its reads share the snapshot taken by the first one.</summary>
    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override async ValueTask<WriteSession> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var transaction = connection.BeginTransaction(deferred: false);
            return new WriteSession(connection, transaction, () => _writerGate.Release());
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writerGate.Release();
            throw;
        }
    }

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    /// <summary>The writer gate already serializes every write session.</summary>
    public override string EventAppendLock => "";

    public override Task LockExecutionQueueAsync(WriteSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task LockMigrationsAsync(WriteSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The writer gate already serializes every write session.</summary>
    public override Task LockResourceIdAsync(WriteSession session, string resource, string id, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public override object TimestampValue(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(
            reader.GetString(ordinal),
            TimestampFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// Parses the stored UTF-8 bytes directly: a TEXT value read as a string would first be widened to UTF-16 and then
    /// encoded back for the parser, which for a blueprint plan means tens of megabytes of large-object garbage.
    /// </summary>
    public override JsonNode? ReadJson(DbDataReader reader, int ordinal) => JsonColumn.Parse(reader.GetFieldValue<byte[]>(ordinal));

    public override void MarkJson(DbParameter parameter)
    {
    }

    public override ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writerGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            // Until one open has succeeded, each open (re)does the one-time set-up; doing it twice is harmless.
            var first = Volatile.Read(ref _walEnabled) == 0;
            if (first && _directory is not null)
            {
                Directory.CreateDirectory(_directory);
            }

            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = first
                ? $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA journal_mode = WAL;"
                : $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            Volatile.Write(ref _walEnabled, 1);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
