using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Stratus.Agent;
using Stratus.Archiving;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;
using Stratus.Messaging.RabbitMq;
using Stratus.Server.Agents;
using Stratus.Server.Auth;
using Stratus.Server.Blueprints;
using Stratus.Server.Dependencies;
using Stratus.Server.Deployments;
using Stratus.Server.Dsl;
using Stratus.Server.Events;
using Stratus.Server.Executions;
using Stratus.Server.Executions.Schedules;
using Stratus.Server.Files;
using Stratus.Server.Groups;
using Stratus.Server.Hosting;
using Stratus.Server.Http;
using Stratus.Server.Identity;
using Stratus.Server.Labels;
using Stratus.Server.Manager;
using Stratus.Server.Modifications;
using Stratus.Server.Nodes;
using Stratus.Server.Operations;
using Stratus.Server.Plugins;
using Stratus.Server.Secrets;
using Stratus.Server.Uploads;
using Stratus.Storage;
using Stratus.Storage.PostgreSql;
using Stratus.Storage.Sqlite;
using Stratus.Workflows;
using Stratus.Workflows.Queue;

namespace Stratus.Server;

/// <summary>The composition root: builds the manager (REST, file server, workflow engine, in-process agent).</summary>
public static class ManagerHost
{
    private static readonly string[] ApiVersions = ["v3.1", "v3"];

    /// <summary>Builds a manager ready to <c>RunAsync</c>; it listens on <see cref="ManagerOptions.Host"/>:<see cref="ManagerOptions.Port"/>.</summary>
    public static WebApplication Build(ManagerOptions options, TextWriter? console = null) => Build(options, console, HostOverrides.None);

    internal static WebApplication Build(ManagerOptions options, TextWriter? console, HostOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(overrides);
        ManagerOptionsValidator.Validate(options);
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        // Agents call REST back on the port they are given, so "any free port" is resolved before anything starts.
        options = options with { DataDir = dataDir, Port = options.Port == 0 ? FreePort(options.Host) : options.Port };
        options = options with { ManagerId = IdOf(options) };
        var https = options.SslCertificateFile is { } certFile && options.SslKeyFile is { } keyFile
            ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certFile, keyFile)
            : null;
        if (https is not null && options.SslPort == 0)
        {
            options = options with { SslPort = FreePort(options.Host) };
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dataDir, Args = [] });
        builder.WebHost.UseUrls(https is null
            ? [$"http://{UrlHost(options.Host)}:{options.Port}"]
            : [$"http://{UrlHost(options.Host)}:{options.Port}", $"https://{UrlHost(options.Host)}:{options.SslPort}"]);
        if (https is not null)
        {
            // The slim builder leaves HTTPS out unless asked for.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxArchiveBytes + (1024 * 1024);
            if (https is not null)
            {
                k.ConfigureHttpsDefaults(h => h.ServerCertificate = https);
            }
        });
        if (options.CorsOrigins.Count > 0)
        {
            builder.Services.AddCors(c => c.AddDefaultPolicy(p => p.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));
        }

        var services = builder.Services;
        var timeProvider = overrides.TimeProvider ?? TimeProvider.System;
        services.AddSingleton(options);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJsonContext.Default));
        services.AddSingleton(timeProvider);
        services.AddSingleton(new Startup(timeProvider.GetUtcNow()));
        services.AddSingleton(new ConsoleSink(console));
        services.AddSingleton(new ResourceLayout(dataDir));
        services.AddSingleton<ResourceCache>();
        services.AddSingleton<LegacyResourceImport>();
        var encryptionKey = EncryptionKeys.Load(options);
        services.AddSingleton(encryptionKey);
        services.AddSingleton(encryptionKey.Cipher);

        // Infrastructure: the store and the broker by configuration, the DSL.
        if (overrides.Store is { } store)
        {
            services.AddSingleton(store);
        }
        else
        {
            services.AddSingleton(_ => CreateStore(options, timeProvider));
        }

        // The broker by configuration: RabbitMQ when a broker URL is given, else the embedded in-process one.
        if (overrides.Broker is { } broker)
        {
            services.AddSingleton(broker);
        }
        else if (options.BrokerUrl is { } brokerUrl)
        {
            services.AddRabbitMqMessaging(brokerUrl);
        }
        else
        {
            services.AddSingleton<IMessageBroker, InProcessBroker>();
        }

        services.AddSingleton(overrides.Dsl ?? new DslService());

        // REST services.
        services.AddSingleton<ManagerReadiness>();
        services.AddSingleton(new Auth.CredentialCache(timeProvider, options.CredentialCacheDuration));
        services.AddSingleton(new AccountLock(options, timeProvider));
        services.AddSingleton(new BlueprintArchiveExtractor(new ArchiveLimits(options.MaxArchiveEntries, options.MaxExtractedBytes)));
        services.AddSingleton<ImportedBlueprintLocator>();
        services.AddSingleton(UploadUrlPolicy.From(options));
        services.AddSingleton<RemoteArchiveFetcher>();
        services.AddSingleton<UploadSource>();
        services.AddSingleton<BlueprintUploadService>();
        services.AddSingleton<PluginUploadService>();
        services.AddSingleton<PluginCatalog>();
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<ExecutionService>();
        services.AddSingleton<SecretService>();
        services.AddSingleton<ExecutionScheduleService>();
        services.AddStratusExecutionQueue(o => o.MaxConcurrentWorkflows = options.MaxConcurrentWorkflows);

        // Registered first so the store is migrated before the engine's hosted services start.
        services.AddHostedService<StartupInitializer>();
        services.AddSingleton<ExecutionScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionScheduler>());
        services.AddHostedService<ManagerHeartbeat>();
        services.AddSingleton<EventIngestor>();
        services.AddHostedService(sp => sp.GetRequiredService<EventIngestor>());
        services.AddSingleton<AgentBrokerUsers>();
        services.AddHostedService<BrokerEventConsumer>();
        services.AddHostedService<AgentMonitor>();
        if (overrides.RunEngine)
        {
            services.AddStratusWorkflows(o =>
            {
                o.RestHost.Clear();
                o.RestHost.Add(AgentReachableHost(options.Host));
                o.RestPort = options.Port;
                o.RestProtocol = "http";
                o.MaxConcurrentWorkflows = options.MaxConcurrentWorkflows;
                o.SubgraphRetries = options.SubgraphRetries;
                o.AgentHeartbeatTimeout = options.AgentHeartbeatTimeout;
                o.AgentPingTimeout = options.AgentPingTimeout;
                o.WaitAfterFail = options.WaitAfterFail;
                o.ClaimHolderTimeout = options.ExecutionLeaseDuration;
                o.ManagerId = IdOf(options);
            });

            services.Configure<Workflows.Cluster.ExecutionLeaseOptions>(o =>
            {
                o.ManagerId = IdOf(options);
                o.LeaseDuration = options.ExecutionLeaseDuration;
            });

            // The central deployment agent runs in-process; remote agents run the same code as their own process.
            services.AddStratusAgent(o =>
            {
                o.WorkDirectory = Path.Combine(dataDir, "agent-work");
                // Its own manager: an operation another manager sent (and died) is served by the one running it.
                var own = new Uri($"http://{UrlHost(AgentReachableHost(options.Host))}:{options.Port}/");
                o.ManagerUrls.Add(own);
                o.Parallelism = options.MaxWorkers ?? o.Parallelism;
                // Named in its claims: another manager's agent may take over what it claimed once this manager is gone.
                o.ManagerName = IdOf(options);
                // Its events and logs go to REST, as Cloudify 7's do: stored before the operation's result is sent, so an
                // execution's lines are all stored when it ends (the broker path stores them up to 0.5 s later).
                o.EventsVia = EventsRoute.Rest;

                // What agents installed on hosts over SSH are given (install_method remote).
                o.Remote.PackagePath = options.AgentPackage;
                o.Remote.PackageCacheDirectory = Path.Combine(dataDir, "packages", "agents");
                // With per-agent broker users (--broker-management-url) hosts get the broker URL without the manager's
                // credentials: the installed agent registers for its own user, limited to its own queues.
                o.Remote.BrokerUrl = options.BrokerManagementUrl is null || options.BrokerUrl is null
                    ? options.BrokerUrl
                    : new UriBuilder(options.BrokerUrl) { UserName = "", Password = "" }.Uri.AbsoluteUri;
                foreach (var url in options.AgentManagerUrls.Count > 0 ? options.AgentManagerUrls : [own])
                {
                    o.Remote.ManagerUrls.Add(url);
                }
            });
        }

        var app = builder.Build();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseStatusCodePages(context => StatusCodeBodies.WriteAsync(context.HttpContext));
        app.UseRouting();
        if (options.CorsOrigins.Count > 0)
        {
            // Before authentication: a browser's preflight carries no credentials.
            app.UseCors();
        }

        app.UseMiddleware<AuthenticationMiddleware>();

        app.MapGet("/api/version", ManagerEndpoints.Version);
        // Cloudify serves older prefixes with the newest implementation at or below them; v3.1 is the current one.
        foreach (var version in ApiVersions)
        {
            app.MapGroup("/api/" + version)
                .MapManager()
                .MapTenants()
                .MapUsers()
                .MapUserGroups()
                .MapTokens()
                .MapPermissions()
                .MapBlueprints()
                .MapPlugins()
                .MapDependencies()
                .MapSecrets()
                .MapDeployments()
                .MapDeploymentGroups()
                .MapDeploymentModifications()
                .MapEvaluate()
                .MapLabels()
                .MapNodes()
                .MapExecutions()
                .MapExecutionSchedules()
                .MapEvents()
                .MapOperations()
                .MapAgents();
        }

        app.MapFileServer();
        return app;
    }

    /// <summary>The manager's id among managers sharing the database: the configured one, else HOSTNAME:PORT.</summary>
    internal static string IdOf(ManagerOptions options) => options.ManagerId ?? $"{Environment.MachineName}:{options.Port}";

    private static IStratusStore CreateStore(ManagerOptions options, TimeProvider timeProvider) =>
        options.StorageProvider.ToUpperInvariant() switch
        {
            "SQLITE" => new SqliteStratusStore(Path.Combine(options.DataDir, "stratus.db"), timeProvider),
            "POSTGRESQL" or "POSTGRES" => new PostgreSqlStratusStore(
                options.PostgresConnectionString ?? throw new InvalidOperationException("The postgresql storage provider needs a connection string."),
                timeProvider),
            _ => throw new InvalidOperationException($"Unknown storage provider `{options.StorageProvider}`; use sqlite or postgresql."),
        };

    private static int FreePort(string host)
    {
        var address = IPAddress.TryParse(AgentReachableHost(host), out var parsed) ? parsed : IPAddress.Loopback;
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string UrlHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private static string AgentReachableHost(string host) => host is "0.0.0.0" or "::" or "*" or "+" ? "127.0.0.1" : host;
}
