using Stratus.Storage.Sql;
using Stratus.Storage.Sqlite;

namespace Stratus.Storage.Tests;

/// <summary>The conformance suite on SQLite, one temp database file per test.</summary>
public sealed class SqliteStoreTests : StoreConformanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratus-sqlite-").FullName;

    protected override Task<string> CreateDatabaseAsync() =>
        Task.FromResult(Path.Combine(_directory, Guid.NewGuid().ToString("N"), "stratus.db"));

    protected override IStratusStore OpenStore(string location) => new SqliteStratusStore(location, Time);

    internal override SqlDialect OpenDialect(string location) => new SqliteDialect(location);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
