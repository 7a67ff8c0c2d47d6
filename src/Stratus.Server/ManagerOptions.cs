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

    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".stratus", "manager");
}
