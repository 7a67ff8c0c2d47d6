using Microsoft.Extensions.Time.Testing;
using Stratus.Storage.Sqlite;

namespace Stratus.Storage.Tests;

/// <summary>SQLite's own concurrency rule: one writer at a time, readers never wait for it, the file is in WAL mode.</summary>
public sealed class SqliteConcurrencyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("stratus-sqlite-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private SqliteStratusStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteStratusStore(Path.Combine(_directory, "stratus.db"), _time);
        await _store.MigrateAsync(TestContext.Current.CancellationToken);
        await _store.InsertBlueprintAsync(Make.Blueprint("bp", _time.GetUtcNow()), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WriterGate_AdmitsOneWriterAndAnyReader_WhileAWriteIsOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await _store.Dialect.BeginWriteAsync(ct);
        var second = _store.Dialect.BeginWriteAsync(ct).AsTask();

        var read = await _store.GetBlueprintAsync(Make.Tenant, "bp", ct).WaitAsync(Patience, ct);

        Assert.Equal("bp", read?.Id);
        Assert.False(second.IsCompleted, "a second writer must wait at the gate while the first write session is open");
        await first.DisposeAsync();
        await using var admitted = await second.WaitAsync(Patience, ct);
        Assert.NotNull(admitted);
    }

    [Fact]
    public async Task Database_UsesWriteAheadLog_AfterMigration()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await _store.Dialect.OpenReadAsync(ct);

        var mode = await _store.QueryAsync(connection, null, "PRAGMA journal_mode", null, r => r.String("journal_mode"), ct);
        var foreignKeys = await _store.QueryAsync(connection, null, "PRAGMA foreign_keys", null, r => r.Long("foreign_keys"), ct);

        Assert.Equal(["wal"], mode);
        Assert.Equal([1L], foreignKeys);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
