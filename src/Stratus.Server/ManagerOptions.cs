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

    /// <summary>
    /// The agent tarball installed on hosts by <c>install_method: remote</c> (<c>--agent-package</c>); null: a tarball of
    /// this manager's own binaries, cached under <c>&lt;data-dir&gt;/packages/agents</c>.
    /// </summary>
    public string? AgentPackage { get; init; }

    /// <summary>
    /// The managers' REST URLs as agents on hosts reach them (<c>--agent-manager-url</c>); empty: this manager's own
    /// URL, as its in-process agent uses it.
    /// </summary>
    public IReadOnlyList<Uri> AgentManagerUrls { get; init; } = [];

    /// <summary>
    /// This manager's id among the managers sharing one database (its <c>managers</c> row and the owner of its
    /// execution leases); null uses <c>HOSTNAME:PORT</c>.
    /// </summary>
    public string? ManagerId { get; init; }

    /// <summary>
    /// How long a manager's lease on a running execution lasts without renewal; a manager that dies loses its
    /// executions to another one this long after its last renewal.
    /// </summary>
    public TimeSpan ExecutionLeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

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
    /// A standalone agent whose last heartbeat is older than this is marked <c>nonresponsive</c>, and the operations it
    /// holds fail as recoverable (retried within their max_retries).
    /// </summary>
    public TimeSpan AgentHeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// RabbitMQ's management API (<c>http://user:password@host:port</c>) on the broker of <see cref="BrokerUrl"/>: when
    /// set, <c>PUT /agents/{name}</c> with <c>create_rabbitmq_user</c> gives the agent its own broker user, limited to
    /// its own exchange and queues. Null: the feature is off and agents use the credentials of their broker URL.
    /// </summary>
    public string? BrokerManagementUrl { get; init; }

    /// <summary>How fast a host agent must answer the ping sent before an operation goes to it; zero: no ping.</summary>
    public TimeSpan AgentPingTimeout { get; init; } = TimeSpan.FromSeconds(30);

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

    /// <summary>
    /// Lets <c>blueprint_archive_url</c> and <c>plugin_archive_url</c> reach loopback, link-local, private and multicast
    /// addresses (<c>--allow-private-upload-urls</c>); refused by default, as a request from the manager reaches
    /// places its callers cannot.
    /// </summary>
    public bool AllowPrivateUploadUrls { get; init; }

    /// <summary>Networks (CIDR, <c>--upload-url-allow</c>) upload URLs may reach even when private.</summary>
    public IReadOnlyList<string> UploadUrlAllowList { get; init; } = [];

    /// <summary>How long downloading an upload URL may take, from connecting to the last byte.</summary>
    public TimeSpan UploadUrlTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Origins a browser may call the API from (<c>--cors-origin</c>); none by default, so CORS stays off.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>A PEM certificate (<c>--ssl-cert</c>); with <see cref="SslKeyFile"/> the manager also listens on HTTPS.</summary>
    public string? SslCertificateFile { get; init; }

    /// <summary>The certificate's PEM private key (<c>--ssl-key</c>).</summary>
    public string? SslKeyFile { get; init; }

    /// <summary>The HTTPS port (<c>--ssl-port</c>, default 8443; 0 picks a free one).</summary>
    public int SslPort { get; init; } = 8443;

    /// <summary>The record's generated text would carry <see cref="AdminPassword"/>, the connection strings and the key into any log.</summary>
    public override string ToString() =>
        $"ManagerOptions {{ Host = {Host}, Port = {Port}, DataDir = {DataDir}, StorageProvider = {StorageProvider}, "
        + $"AdminPassword = {(AdminPassword is null ? "null" : "***")}, PostgresConnectionString = {(PostgresConnectionString is null ? "null" : "***")}, "
        + $"BrokerUrl = {(BrokerUrl is null ? "null" : "***")}, BrokerManagementUrl = {(BrokerManagementUrl is null ? "null" : "***")}, "
        + $"EncryptionKey = {(EncryptionKey is null ? "null" : "***")}, EncryptionKeyFile = {EncryptionKeyFile ?? "null"} }}";

    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".stratus", "manager");
}
