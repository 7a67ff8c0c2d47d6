using Npgsql;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Two managers (m1, m2) as real processes on one PostgreSQL database (given as <c>--db-url</c>) and one RabbitMQ,
/// each with its own data folder (uploaded files live in the database) and one encryption key file, with a short
/// execution lease so a takeover is quick. <see cref="ScratchDir"/> is where the tests' scripts record their runs.
/// </summary>
internal sealed class ManagerCluster : IAsyncDisposable
{
    public const int LeaseSeconds = 3;

    private readonly string _server;
    private readonly string _database;

    private readonly Func<string, string[]> _flags;

    private ManagerCluster(string server, string database, string scratchDir, Func<string, string[]> flags, ManagerProcess first, ManagerProcess second)
    {
        _server = server;
        _database = database;
        _flags = flags;
        ScratchDir = scratchDir;
        Managers = [first, second];
    }

    public string ScratchDir { get; }

    /// <summary>The key file every manager of the cluster is given (<c>--encryption-key-file</c>).</summary>
    public string KeyFile => Path.Combine(ScratchDir, "cluster.key");

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
        var scratch = Directory.CreateTempSubdirectory("stratus-e2e-cluster-").FullName;
        var keyFile = Path.Combine(scratch, "cluster.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);
        string[] Flags(string id) => ["--db-url", url, "--broker-url", services.RabbitMqUrl, "--manager-id", id, "--execution-lease", $"{LeaseSeconds}"];
        string[] WithKey(string id) => [.. Flags(id), "--encryption-key-file", keyFile];

        // The first start creates the schema, the admin and records the key's check value; the second finds them.
        var first = new ManagerProcess(WithKey("m1"));
        await first.InitializeAsync();
        var second = new ManagerProcess(WithKey("m2"));
        await second.InitializeAsync();
        return new ManagerCluster(services.PostgresConnectionString, database, scratch, Flags, first, second);
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

    /// <summary>Another manager for the same database and broker, with its own data folder and only <paramref name="extraFlags"/> (no key unless given).</summary>
    public ManagerProcess Another(string id, params string[] extraFlags) => new([.. _flags(id), .. extraFlags]);

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in Managers)
        {
            await manager.DisposeAsync();
        }

        try
        {
            Directory.Delete(ScratchDir, recursive: true);
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
