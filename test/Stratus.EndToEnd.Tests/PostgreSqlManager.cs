using Npgsql;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A manager on PostgreSQL: a fresh database on the server named by <c>STRATUS_TEST_POSTGRES</c>
/// (scripts/test-services.sh), dropped afterwards. Without that variable the tests skip, or fail when CI=true.
/// </summary>
public sealed class PostgreSqlManager : IAsyncLifetime
{
    private const string Variable = "STRATUS_TEST_POSTGRES";
    private readonly string? _server = Environment.GetEnvironmentVariable(Variable);
    private string? _database;

    public ManagerProcess? Manager { get; private set; }

    public string? UnavailableReason => string.IsNullOrWhiteSpace(_server)
        ? $"PostgreSQL was not provisioned: {Variable} is not set (run `source scripts/test-services.sh start` first)"
        : null;

    public async ValueTask InitializeAsync()
    {
        if (UnavailableReason is not null)
        {
            return;
        }

        _database = $"stratus_e2e_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_server))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database} TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
        Manager = new ManagerProcess(["--storage", "postgresql", "--postgres", connectionString]);
        await Manager.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Manager is not null)
        {
            await Manager.DisposeAsync();
        }

        if (_database is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The running manager, or the test stops here: skipped locally, failed on CI.</summary>
    public ManagerProcess Require()
    {
        TestServices.Require(UnavailableReason);

        return Manager!;
    }
}
