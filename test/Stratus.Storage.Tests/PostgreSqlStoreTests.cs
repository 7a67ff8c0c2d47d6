using Npgsql;
using Stratus.Storage.PostgreSql;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Tests;

/// <summary>
/// The conformance suite on PostgreSQL: each test gets a fresh database created on the server named by
/// <c>STRATUS_TEST_POSTGRES</c> (see scripts/test-services.sh) and dropped afterwards.
/// </summary>
public sealed class PostgreSqlStoreTests : StoreConformanceTests
{
    private const string Variable = "STRATUS_TEST_POSTGRES";

    private readonly string? _server = Environment.GetEnvironmentVariable(Variable);
    private readonly List<string> _databases = [];

    protected override string? UnavailableReason => string.IsNullOrWhiteSpace(_server)
        ? $"PostgreSQL was not provisioned: {Variable} is not set (run `source scripts/test-services.sh start` first)"
        : null;

    protected override async Task<string> CreateDatabaseAsync()
    {
        var name = $"stratus_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_server))
        {
            await connection.OpenAsync(Token);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0", connection);
            await command.ExecuteNonQueryAsync(Token);
        }

        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(_server) { Database = name }.ConnectionString;
    }

    protected override IStratusStore OpenStore(string location) => new PostgreSqlStratusStore(location, Time);

    internal override SqlDialect OpenDialect(string location) => new PostgreSqlDialect(location);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_databases.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
