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

    /// <summary>
    /// The secrets encryption key as base64 of 32 bytes (<c>STRATUS_ENCRYPTION_KEY</c>); wins over
    /// <see cref="EncryptionKeyFile"/>. Managers sharing one PostgreSQL must share one key.
    /// </summary>
    public string? EncryptionKey { get; init; }

    /// <summary>
    /// A file holding the key as base64 (<c>--encryption-key-file</c>). Without either setting the manager uses
    /// <c>&lt;data-dir&gt;/secret.key</c>, generating it (mode 0600) on first start.
    /// </summary>
    public string? EncryptionKeyFile { get; init; }

    /// <summary>
    /// Cloudify's <c>max_concurrent_workflows</c>: queued executions start only while fewer are active (across managers
    /// sharing the database); also the number of workflows this manager's engine runs at once.
    /// </summary>
    public int MaxConcurrentWorkflows { get; init; } = 20;

    /// <summary>How often due execution schedules are looked for (Cloudify's execution-scheduler polls every 60 s).</summary>
    public TimeSpan SchedulerInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a failed instance subgraph of install, uninstall or reinstall is re-run before the workflow fails
    /// (Cloudify's <c>workflow.subgraph_retries</c>, default 0; -1 unlimited).
    /// </summary>
    public int SubgraphRetries { get; init; }

    /// <summary>
    /// Operations the in-process agent runs at once (Cloudify's <c>--max-workers</c> of its workers); null: twice the
    /// processor count, at least 2. More wait on the agent's queue.
    /// </summary>
    public int? MaxWorkers { get; init; }

    /// <summary>After an operation failed for good, how long in-flight operations get to report before the workflow fails (Cloudify's <c>wait_after_fail</c>, 600 s).</summary>
    public TimeSpan WaitAfterFail { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How long a successful Basic-auth check is remembered (never the password itself).</summary>
    public TimeSpan CredentialCacheDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Failed password checks in a row a user may make before the account locks (Cloudify's default 4).</summary>
    public int FailedLoginsBeforeAccountLock { get; init; } = 4;

    /// <summary>
    /// How long an account stays locked after its last failed check; zero or less never locks (Cloudify's default is
    /// -1 minute, which disables locking). A sys_admin unlocks earlier with <c>POST /users/unlock/{username}</c>.
    /// </summary>
    public TimeSpan AccountLockPeriod { get; init; } = TimeSpan.FromMinutes(-1);

    /// <summary>The record's generated text would carry <see cref="AdminPassword"/>, the connection strings and the key into any log.</summary>
    public override string ToString() =>
        $"ManagerOptions {{ Host = {Host}, Port = {Port}, DataDir = {DataDir}, StorageProvider = {StorageProvider}, "
        + $"AdminPassword = {(AdminPassword is null ? "null" : "***")}, PostgresConnectionString = {(PostgresConnectionString is null ? "null" : "***")}, "
        + $"BrokerUrl = {(BrokerUrl is null ? "null" : "***")}, "
        + $"EncryptionKey = {(EncryptionKey is null ? "null" : "***")}, EncryptionKeyFile = {EncryptionKeyFile ?? "null"} }}";

    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".stratus", "manager");
}
