using Npgsql;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Two managers (m1, m2) as real processes on one PostgreSQL database (given as <c>--db-url</c>) and one RabbitMQ,
/// sharing a data dir (the resources folder a cluster shares), with a short execution lease so a takeover is quick.
/// </summary>
internal sealed class ManagerCluster : IAsyncDisposable
{
    public const int LeaseSeconds = 3;

    private readonly string _server;
    private readonly string _database;

    private ManagerCluster(string server, string database, string dataDir, ManagerProcess first, ManagerProcess second)
    {
        _server = server;
        _database = database;
        DataDir = dataDir;
        Managers = [first, second];
    }

    public string DataDir { get; }

    public IReadOnlyList<ManagerProcess> Managers { get; }

    public string Output => string.Join("\n", Managers.Select((m, i) => $"--- m{i + 1} ---\n{m.Output}"));

    public static async Task<ManagerCluster> StartAsync(PrivateServices services)
    {
        var ct = TestContext.Current.CancellationToken;
        var database = $"stratus_cluster_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(services.PostgresConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database} TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        var server = new NpgsqlConnectionStringBuilder(services.PostgresConnectionString);
        var url = $"postgresql://{Uri.EscapeDataString(server.Username!)}:{Uri.EscapeDataString(server.Password!)}@{server.Host}:{server.Port}/{database}"
            + "?application_name=stratus-e2e";
        var dataDir = Directory.CreateTempSubdirectory("stratus-e2e-cluster-").FullName;
        string[] Flags(string id) => ["--db-url", url, "--broker-url", services.RabbitMqUrl, "--manager-id", id, "--execution-lease", $"{LeaseSeconds}"];

        // The first start creates the schema, the admin and the secrets key; the second finds them.
        var first = new ManagerProcess(Flags("m1"), dataDir);
        await first.InitializeAsync();
        var second = new ManagerProcess(Flags("m2"), dataDir);
        await second.InitializeAsync();
        return new ManagerCluster(services.PostgresConnectionString, database, dataDir, first, second);
    }

    /// <summary>The manager whose lease holds the execution now (read from the database).</summary>
    public async Task<string?> LeaseOwnerAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT lease_owner FROM executions WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", executionId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public ManagerProcess ById(string id) => Managers[id == "m1" ? 0 : 1];

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in Managers)
        {
            await manager.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // An orphaned script may still hold a file; a leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        // The private server goes away with its test; nothing else to drop.
    }
}
