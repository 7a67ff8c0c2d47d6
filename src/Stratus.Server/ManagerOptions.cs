namespace Stratus.Server;

/// <summary>How a manager process is started (the <c>stratus manager start</c> flags).</summary>
public sealed record ManagerOptions
{
    public const int DefaultPort = 8100;

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;

    /// <summary>Holds the SQLite database and the file server root. Default: ~/.stratus/manager.</summary>
    public required string DataDir { get; init; }

    /// <summary>The first start's admin password; null generates a random one and prints it once.</summary>
    public string? AdminPassword { get; init; }

    /// <summary><c>sqlite</c> (default) or <c>postgresql</c>.</summary>
    public string StorageProvider { get; init; } = "sqlite";

    public string? PostgresConnectionString { get; init; }

    /// <summary>RabbitMQ as <c>amqp://user:password@host:port/vhost</c>; null runs the embedded in-process broker.</summary>
    public string? BrokerUrl { get; init; }

    /// <summary>Largest JSON request body accepted.</summary>
    public long MaxJsonBodyBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>Largest blueprint archive accepted (Cloudify's <c>blueprint_folder_max_size_mb</c> is 50).</summary>
    public long MaxArchiveBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Largest total size of a blueprint once extracted.</summary>
    public long MaxExtractedBytes { get; init; } = 200L * 1024 * 1024;

    /// <summary>Largest plugin upload accepted (a wagon bundles its wheels, so it is far larger than a blueprint).</summary>
    public long MaxPluginBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>Most entries a blueprint archive may hold (Cloudify's <c>blueprint_folder_max_files</c>).</summary>
    public int MaxArchiveEntries { get; init; } = 10000;

    /// <summary>How long a successful Basic-auth check is remembered (never the password itself).</summary>
    public TimeSpan CredentialCacheDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The record's generated text would carry <see cref="AdminPassword"/> and the connection strings into any log.</summary>
    public override string ToString() =>
        $"ManagerOptions {{ Host = {Host}, Port = {Port}, DataDir = {DataDir}, StorageProvider = {StorageProvider}, "
        + $"AdminPassword = {(AdminPassword is null ? "null" : "***")}, PostgresConnectionString = {(PostgresConnectionString is null ? "null" : "***")}, "
        + $"BrokerUrl = {(BrokerUrl is null ? "null" : "***")} }}";

    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".stratus", "manager");
}
