using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Agent;
using Stratus.Agent.Manager;
using Stratus.Agent.Standalone;
using Stratus.Cli.Output;
using Stratus.Cli.Parsing;
using Stratus.Messaging.RabbitMq;

namespace Stratus.Cli.Commands;

internal static class AgentCommands
{
    // cfy agents list's columns.
    private static readonly string[] Columns = ["id", "ip", "deployment", "state", "node", "system", "version", "install_method", "tenant_name"];

    public const string NoBrokerMessage =
        "stratus agent start needs --broker-url amqp://user:password@host:port/vhost: an agent receives its operations through "
        + "a broker it shares with the manager, and the manager's embedded broker lives inside the manager process, out of "
        + "reach of another process. Start the manager with --broker-url (RabbitMQ) and give the agent the same broker.";

    public static IEnumerable<CommandSpec> Specs() =>
    [
        new("agents list", "List agents", [],
            [OptionSpec.Value("deployment-id", "DEP", "only this deployment's agents", 'd'), OptionSpec.Json], ListAsync),
        new("agent start", "Run an agent process that consumes its own queue (NAME_operation) and reports to the managers", [],
        [
            OptionSpec.Value("name", "NAME", "the agent's name and queue; a provided agent is named after its Compute node instance"),
            OptionSpec.Value("manager-url", "URL[,URL...]", "managers' REST URLs, tried in order (default: STRATUS_MANAGER_URL)"),
            OptionSpec.Value(
                "broker-url",
                "AMQPURL",
                "the RabbitMQ the managers use (default: STRATUS_BROKER_URL); without user:password the agent gets its own broker user from the manager"),
            OptionSpec.Value("token", "TOKEN", "an API token (default: STRATUS_TOKEN; else STRATUS_USERNAME and STRATUS_PASSWORD)"),
            OptionSpec.Value("tenant", "TENANT", "the tenant (default: STRATUS_TENANT, else default_tenant)"),
            OptionSpec.Value("work-dir", "DIR", "where operations get their temp folders (default: the system temp folder)"),
            OptionSpec.Value("heartbeat-interval", "SECONDS", "seconds between heartbeats (default 10)"),
            OptionSpec.Value("events-via", "rest|broker", "where operation events and logs go: rest (default; POST /events, stored before the operation's result) or broker (kept by RabbitMQ while managers or their database restart, stored within 0.5 s)"),
        ], StartAsync),
    ];

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var deploymentId = context.Command.Value("deployment-id");
        var items = await Listing.AllAsync<Client.Models.Agent>((o, ct) => client.Agents.ListAsync(deploymentId, o, ct), cancellationToken);
        if (context.Command.Json)
        {
            JsonOutput.Write(context.Out, items);
            return CliApp.Ok;
        }

        await context.Out.WriteLineAsync("Agents:");
        await context.Out.WriteAsync(TableRenderer.Render(
            Columns, items.Select(a => new string?[] { a.Id, a.Ip, a.Deployment, a.State, a.Node, a.System, a.Version, a.InstallMethod, a.TenantName })));
        return CliApp.Ok;
    }

    internal sealed record StartSettings(
        string Name, IReadOnlyList<Uri> ManagerUrls, string BrokerUrl, AgentCredentials Credentials, TimeSpan Heartbeat, EventsRoute EventsVia = EventsRoute.Rest);

    internal static StartSettings ToSettings(ParsedCommand command, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(variable);
        var name = command.Value("name") ?? throw new UsageException("--name is required", command.Spec);
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new UsageException($"--name may hold only letters, digits, '-', '_' and '.', got '{name}'", command.Spec);
        }

        var urls = command.Value("manager-url") ?? variable("STRATUS_MANAGER_URL")
            ?? throw new UsageException("--manager-url is required (or STRATUS_MANAGER_URL)", command.Spec);
        var managers = new List<Uri>();
        foreach (var text in urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"--manager-url must be http(s)://host:port, got '{text}'", command.Spec);
            }

            managers.Add(url);
        }

        var broker = command.Value("broker-url") ?? variable("STRATUS_BROKER_URL");
        if (string.IsNullOrEmpty(broker))
        {
            throw new CliException(NoBrokerMessage);
        }

        if (!Uri.TryCreate(broker, UriKind.Absolute, out var brokerUri) || brokerUri.Scheme is not ("amqp" or "amqps"))
        {
            throw new UsageException("--broker-url must look like amqp://user:password@host:port/vhost", command.Spec);
        }

        var credentials = new AgentCredentials
        {
            Token = command.Value("token") ?? variable("STRATUS_TOKEN"),
            Username = variable("STRATUS_USERNAME"),
            Password = variable("STRATUS_PASSWORD"),
            Tenant = command.Value("tenant") ?? variable("STRATUS_TENANT") ?? "default_tenant",
        };
        if (!credentials.IsComplete)
        {
            throw new UsageException("the agent needs credentials: --token (or STRATUS_TOKEN), or STRATUS_USERNAME and STRATUS_PASSWORD", command.Spec);
        }

        var heartbeat = command.Int("heartbeat-interval") ?? 10;
        if (heartbeat < 1)
        {
            throw new UsageException($"--heartbeat-interval must be at least 1, got {heartbeat}", command.Spec);
        }

        var eventsVia = command.Value("events-via") switch
        {
            null or "rest" => EventsRoute.Rest,
            "broker" => EventsRoute.Broker,
            var other => throw new UsageException($"--events-via must be broker or rest, got '{other}'", command.Spec),
        };

        return new StartSettings(name, managers, broker, credentials, TimeSpan.FromSeconds(heartbeat), eventsVia);
    }

    private static string WithCredentials(string url, string username, string password) =>
        new UriBuilder(url) { UserName = Uri.EscapeDataString(username), Password = Uri.EscapeDataString(password) }.Uri.AbsoluteUri;

    private static async Task<int> StartAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var settings = ToSettings(context.Command, context.Environment.Variable);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        var brokerUrl = settings.BrokerUrl;
        var ownBrokerUser = !new Uri(brokerUrl).UserInfo.Contains(':', StringComparison.Ordinal);
        // Read when the broker is first built, after the registration below filled in the agent's own user.
        builder.Services.AddRabbitMqMessaging(settings.BrokerUrl, o => o.Url = brokerUrl);
        var workDir = context.Command.Value("work-dir");
        builder.Services.AddStandaloneAgent(settings.Credentials, o =>
        {
            o.Name = settings.Name;
            o.RequestBrokerUser = ownBrokerUser;
            o.HeartbeatInterval = settings.Heartbeat;
            o.EventsVia = settings.EventsVia;
            foreach (var url in settings.ManagerUrls)
            {
                o.ManagerUrls.Add(url);
            }

            if (workDir is not null)
            {
                o.WorkDirectory = Path.GetFullPath(workDir);
            }
        });

        using var host = builder.Build();
        try
        {
            if (await StandaloneAgent.RegisterAsync(host.Services, cancellationToken) is { } brokerUser)
            {
                brokerUrl = WithCredentials(brokerUrl, brokerUser.UserName, brokerUser.Password);
            }
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"agent {settings.Name} could not register with the manager: {e.Message}", e);
        }

        return await ForegroundHost.RunAsync(
            host,
            context,
            $"agent {settings.Name} could not start",
            $"Stratus agent {settings.Name} consuming {settings.Name}_operation (managers: {string.Join(", ", settings.ManagerUrls.Select(ManagerFailover.Describe))}); Ctrl+C to stop",
            cancellationToken);
    }
}
