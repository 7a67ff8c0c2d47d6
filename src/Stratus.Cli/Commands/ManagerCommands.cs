using Microsoft.Extensions.Hosting;
using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Server;

namespace Stratus.Cli.Commands;

internal static class ManagerCommands
{
    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("manager start", "Run the embedded manager (REST API, workflow engine, script agent) in the foreground", [],
        [
            OptionSpec.Value("port", "N", $"port to listen on (default {ManagerOptions.DefaultPort})"),
            OptionSpec.Value("host", "H", "address to bind (default 127.0.0.1)"),
            OptionSpec.Value("data-dir", "DIR", "database and file-server root (default ~/.stratus/manager)"),
            OptionSpec.Value("admin-password", "PW", "admin password for a new data dir (default: generated and printed once)"),
            OptionSpec.Value("storage", "sqlite|postgresql", "storage provider (default sqlite)"),
            OptionSpec.Value("postgres", "CONNSTRING", "PostgreSQL connection string (with --storage postgresql)"),
            OptionSpec.Value("db-url", "URL", "PostgreSQL as postgresql://user:password@host:port/db[?sslmode=...] (implies --storage postgresql)"),
            OptionSpec.Value("manager-id", "ID", "this manager's id among managers sharing one database (default HOSTNAME:PORT)"),
            OptionSpec.Value("execution-lease", "SECONDS", "how long a manager's hold on a running execution lasts unrenewed (default 15)"),
            OptionSpec.Value(
                "encryption-key-file",
                "FILE",
                "secrets key, base64 of 32 bytes (default: STRATUS_ENCRYPTION_KEY, else DATA-DIR/secret.key, generated once)"),
            OptionSpec.Value("max-concurrent-workflows", "N", "queued executions start only while fewer are active (default 20)"),
            OptionSpec.Value("subgraph-retries", "N", "re-runs of a failed instance lifecycle before a workflow fails; -1 unlimited (default 0)"),
            OptionSpec.Value("max-workers", "N", "operations the embedded agent runs at once (default: 2 x processors)"),
            OptionSpec.Value("wait-after-fail", "SECONDS", "after an operation fails for good, wait this long for the others (default 600)"),
            OptionSpec.Value("broker-url", "AMQPURL", "RabbitMQ amqp://user:password@host:port/vhost (default: in-process broker)"),
            OptionSpec.Value(
                "broker-management-url",
                "URL",
                "RabbitMQ's management API http://user:password@host:port: agents registering with create_rabbitmq_user get their own broker user; checked at start, the user must be an administrator (default: STRATUS_BROKER_MANAGEMENT_URL, else off)"),
            OptionSpec.Value("agent-ping-timeout", "SECONDS", "before an operation goes to a host agent, it must answer a ping this fast; 0: no ping (default 30, as Cloudify)"),
            OptionSpec.Value("failed-logins-before-account-lock", "N", "failed password checks in a row before an account locks (default 4)"),
            OptionSpec.Value("agent-package", "FILE", "tarball installed on hosts by install_method remote (default: this manager's own binaries)"),
            OptionSpec.Value("agent-manager-url", "URL[,URL...]", "managers' REST URLs as agents on hosts reach them (default: this manager's URL)"),
            OptionSpec.Value("agent-heartbeat-timeout", "SECONDS", "an agent silent this long is nonresponsive and its operations are retried (default 60)"),
            OptionSpec.Value("account-lock-period", "MINUTES", "how long a locked account stays locked; -1 never locks (default -1, as Cloudify)"),
            OptionSpec.Flag("allow-private-upload-urls", "let blueprint_archive_url/plugin_archive_url reach loopback, link-local and private addresses"),
            OptionSpec.Many("upload-url-allow", "CIDR", "a network upload URLs may reach even when private (repeatable)"),
            OptionSpec.Many("cors-origin", "ORIGIN", "an origin browsers may call the API from, e.g. https://ui.example.com (repeatable; default: CORS off)"),
            OptionSpec.Value("ssl-cert", "FILE", "PEM certificate: also listen on HTTPS (with --ssl-key)"),
            OptionSpec.Value("ssl-key", "FILE", "PEM private key of --ssl-cert"),
            OptionSpec.Value("ssl-port", "N", "HTTPS port (default 8443)"),
        ], StartAsync),
        new("status", "Show the manager's version and service status", [], [OptionSpec.Json], StatusAsync),
    ];

    internal static ManagerOptions ToOptions(ParsedCommand command, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var dbUrl = command.Value("db-url");
        var storage = command.Value("storage") ?? (dbUrl is null ? "sqlite" : "postgresql");
        if (storage is not ("sqlite" or "postgresql"))
        {
            throw new UsageException($"--storage must be sqlite or postgresql, got '{storage}'", command.Spec);
        }

        var postgres = command.Value("postgres");
        if (dbUrl is not null)
        {
            if (postgres is not null || storage != "postgresql")
            {
                throw new UsageException("--db-url cannot be combined with --postgres or --storage sqlite", command.Spec);
            }

            try
            {
                postgres = Stratus.Storage.PostgreSql.PostgreSqlUrl.ToConnectionString(dbUrl);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message, command.Spec);
            }
        }

        if (storage == "postgresql" && string.IsNullOrEmpty(postgres))
        {
            throw new UsageException("--storage postgresql needs --postgres CONNSTRING", command.Spec);
        }

        var brokerUrl = command.Value("broker-url");
        if (brokerUrl is not null
            && (!Uri.TryCreate(brokerUrl, UriKind.Absolute, out var broker) || broker.Scheme is not ("amqp" or "amqps")))
        {
            throw new UsageException("--broker-url must look like amqp://user:password@host:port/vhost", command.Spec);
        }

        var port = command.Int("port") ?? ManagerOptions.DefaultPort;
        if (port is 0 or > 65535)
        {
            throw new UsageException($"--port must be between 1 and 65535, got {port}", command.Spec);
        }

        var maxWorkflows = command.Int("max-concurrent-workflows") ?? 20;
        if (maxWorkflows is < 1 or > 10_000)
        {
            throw new UsageException($"--max-concurrent-workflows must be between 1 and 10000, got {maxWorkflows}", command.Spec);
        }

        var subgraphRetries = command.Int("subgraph-retries") ?? 0;
        if (subgraphRetries < -1)
        {
            throw new UsageException($"--subgraph-retries must be -1 or more, got {subgraphRetries}", command.Spec);
        }

        var lease = command.Int("execution-lease") ?? 15;
        if (lease is < 1 or > 3600)
        {
            throw new UsageException($"--execution-lease must be between 1 and 3600 seconds, got {lease}", command.Spec);
        }

        var maxWorkers = command.Int("max-workers");
        if (maxWorkers is < 1 or > 10_000)
        {
            throw new UsageException($"--max-workers must be between 1 and 10000, got {maxWorkers}", command.Spec);
        }

        var waitAfterFail = command.Int("wait-after-fail") ?? 600;
        if (waitAfterFail < 0)
        {
            throw new UsageException($"--wait-after-fail must be 0 or more seconds, got {waitAfterFail}", command.Spec);
        }

        var failedLogins = command.Int("failed-logins-before-account-lock") ?? 4;
        if (failedLogins < 1)
        {
            throw new UsageException($"--failed-logins-before-account-lock must be at least 1, got {failedLogins}", command.Spec);
        }

        if ((command.Value("ssl-cert") is null) != (command.Value("ssl-key") is null))
        {
            throw new UsageException("--ssl-cert and --ssl-key go together", command.Spec);
        }

        var sslPort = command.Int("ssl-port") ?? 8443;
        if (sslPort is 0 or > 65535 || sslPort == port)
        {
            throw new UsageException($"--ssl-port must be between 1 and 65535 and differ from --port, got {sslPort}", command.Spec);
        }

        var heartbeatTimeout = command.Int("agent-heartbeat-timeout") ?? 60;
        if (heartbeatTimeout < 1)
        {
            throw new UsageException($"--agent-heartbeat-timeout must be at least 1, got {heartbeatTimeout}", command.Spec);
        }

        var pingTimeout = command.Int("agent-ping-timeout") ?? 30;
        if (pingTimeout < 0)
        {
            throw new UsageException($"--agent-ping-timeout must be 0 or more, got {pingTimeout}", command.Spec);
        }

        var managementUrl = command.Value("broker-management-url") ?? variable("STRATUS_BROKER_MANAGEMENT_URL");
        var agentManagerUrls = new List<Uri>();
        foreach (var text in (command.Value("agent-manager-url") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"--agent-manager-url must be http(s)://host:port, got '{text}'", command.Spec);
            }

            agentManagerUrls.Add(url);
        }

        var agentPackage = command.Value("agent-package") is { } package ? Path.GetFullPath(package) : null;
        if (agentPackage is not null && !File.Exists(agentPackage))
        {
            throw new UsageException($"--agent-package must be an existing tarball, got '{agentPackage}'", command.Spec);
        }

        return new ManagerOptions
        {
            BrokerManagementUrl = string.IsNullOrEmpty(managementUrl) ? null : managementUrl,
            AgentPingTimeout = TimeSpan.FromSeconds(pingTimeout),
            AgentPackage = agentPackage,
            AgentManagerUrls = agentManagerUrls,
            AllowPrivateUploadUrls = command.Has("allow-private-upload-urls"),
            UploadUrlAllowList = command.Values("upload-url-allow"),
            CorsOrigins = command.Values("cors-origin"),
            SslCertificateFile = command.Value("ssl-cert") is { } cert ? Path.GetFullPath(cert) : null,
            SslKeyFile = command.Value("ssl-key") is { } sslKey ? Path.GetFullPath(sslKey) : null,
            SslPort = sslPort,
            AgentHeartbeatTimeout = TimeSpan.FromSeconds(heartbeatTimeout),
            MaxConcurrentWorkflows = maxWorkflows,
            SubgraphRetries = subgraphRetries,
            MaxWorkers = maxWorkers,
            WaitAfterFail = TimeSpan.FromSeconds(waitAfterFail),
            FailedLoginsBeforeAccountLock = failedLogins,
            AccountLockPeriod = TimeSpan.FromMinutes(command.Int("account-lock-period") ?? -1),
            Host = command.Value("host") ?? "127.0.0.1",
            Port = port,
            DataDir = Path.GetFullPath(command.Value("data-dir") ?? ManagerOptions.DefaultDataDir()),
            AdminPassword = command.Value("admin-password"),
            StorageProvider = storage,
            PostgresConnectionString = postgres,
            EncryptionKeyFile = command.Value("encryption-key-file") is { } keyFile ? Path.GetFullPath(keyFile) : null,
            // The flag is the more explicit choice, so the environment's key applies only without it.
            EncryptionKey = command.Value("encryption-key-file") is null && variable("STRATUS_ENCRYPTION_KEY") is { Length: > 0 } key ? key : null,
            BrokerUrl = brokerUrl,
            ManagerId = command.Value("manager-id") is { Length: > 0 } managerId ? managerId : null,
            ExecutionLeaseDuration = TimeSpan.FromSeconds(lease),
        };
    }

    private static async Task<int> StartAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var options = ToOptions(context.Command, context.Environment.Variable);
        Directory.CreateDirectory(options.DataDir);
        QuietRequestLogs();
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = ManagerHost.Build(options, context.Out);
        }
        catch (Exception e) when (e is not (OperationCanceledException or CliException))
        {
            throw new CliException($"the manager could not be set up: {e.Message}", e);
        }

        await using (app)
        {
            return await ForegroundHost.RunAsync(
                app,
                context,
                $"the manager could not start on {options.Host}:{options.Port}",
                $"Stratus manager listening on http://{options.Host}:{options.Port} (data in {options.DataDir}); Ctrl+C to stop",
                cancellationToken);
        }
    }

    /// <summary>
    /// A foreground manager prints its own events; per-request lines (ASP.NET Core's, and the in-process agent's
    /// HttpClient calls back to REST) would drown them. These are defaults only: the same
    /// <c>Logging__LogLevel__...</c> variables set by the user still win.
    /// </summary>
    private static void QuietRequestLogs()
    {
        foreach (var category in new[] { "Microsoft.AspNetCore", "System.Net.Http.HttpClient" })
        {
            var key = $"Logging__LogLevel__{category}";
            if (Environment.GetEnvironmentVariable(key) is null)
            {
                Environment.SetEnvironmentVariable(key, "Warning");
            }
        }
    }

    private static async Task<int> StatusAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var version = await client.Manager.GetVersionAsync(cancellationToken);
        var status = await client.Manager.GetStatusAsync(cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, new { version, status });
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync($"Manager {client.Options.BaseAddress} - version {version.Version} ({version.Edition}) - status {status.Status}");
        var rows = (status.Services ?? []).Select(s => new string?[] { s.Key, Cells.Value(s.Value?["status"]) });
        await context.Out.WriteAsync(TableRenderer.Render(["service", "status"], rows));
        return CliApp.Ok;
    }
}
