using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Core.Secrets;
using Stratus.Messaging;
using Stratus.Storage;

namespace Stratus.Server.Agents;

/// <summary>
/// Per-agent RabbitMQ users (Cloudify's <c>AMQPManager.create_agent_user</c>), made through the management API of
/// <see cref="ManagerOptions.BrokerManagementUrl"/>: user <c>rabbitmq_user_&lt;agent&gt;</c>, a random password stored
/// sealed with the secrets key, and permissions on the broker URL's vhost limited to what the agent touches in Stratus's
/// topology: its exchange <c>&lt;agent&gt;</c> (it replies through it), its queues <c>&lt;agent&gt;_operation</c> and
/// <c>&lt;agent&gt;_service</c> and their dead-letter queues. The user goes when the agent is marked deleted, and
/// <see cref="SweepAsync"/> removes users whose agent row is gone (deleted with its deployment).
/// </summary>
internal sealed partial class AgentBrokerUsers : IDisposable
{
    public const string UsernamePrefix = "rabbitmq_user_";

    private readonly BrokerManagementApi? _api;
    private readonly string _vhost;
    private readonly IStratusStore _store;
    private readonly SecretCipher _cipher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AgentBrokerUsers(ManagerOptions options, IStratusStore store, SecretCipher cipher, TimeProvider time, ILogger<AgentBrokerUsers> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = options.BrokerManagementUrl is { } url ? new BrokerManagementApi(new Uri(url)) : null;
        _vhost = Vhost(options.BrokerUrl);
        _store = store;
        _cipher = cipher;
        _time = time;
        _logger = logger;
    }

    public bool Enabled => _api is not null;

    /// <summary>The start-up check of the management API (<see cref="BrokerManagementCheck"/>); nothing to check when off.</summary>
    public Task VerifyManagementApiAsync(CancellationToken cancellationToken = default) =>
        _api is null ? Task.CompletedTask : BrokerManagementCheck.VerifyAsync(_api, _vhost, _time, cancellationToken);

    /// <summary>
    /// The permissions of an agent's user. Configure, write and read: its own exchange and queues. Configure and write
    /// also: Cloudify's events exchanges <c>cloudify-events-topic</c> and <c>cloudify-logs</c> (it declares and publishes
    /// to them, as Cloudify's agent user may), never the managers' <c>cloudify-logs-events</c> queue, which it cannot read.
    /// </summary>
    public static (string Configure, string Write, string Read) Permissions(string agentName)
    {
        var own = $"{Escape(agentName)}(_(operation|service)(\\.dead-letter)?)?";
        var withEvents = $"^({own}|{Escape(LogsEventsTopology.EventsExchange)}|{Escape(LogsEventsTopology.LogsExchange)})$";
        return (withEvents, withEvents, $"^{own}$");
    }

    /// <summary>
    /// Makes (or makes again, idempotently) the agent's broker user and returns the row with the user and the password
    /// in clear text. Checkpoint: the sealed password is stored before RabbitMQ hears of it, so a retry after a failure
    /// on either side converges on one password; a user RabbitMQ refused leaves no password behind.
    /// </summary>
    public async Task<(AgentRecord Agent, string Password)> EnsureAsync(AgentRecord agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var api = _api ?? throw StratusException.BadParameters(
            "create_rabbitmq_user needs a manager started with --broker-management-url (RabbitMQ's management API); "
            + "without it agents use the credentials of their broker URL");
        if (agent.Name.StartsWith("cloudify.", StringComparison.Ordinal))
        {
            throw StratusException.BadParameters($"Agent name `{agent.Name}` is reserved for the manager's own queues: no broker user is made for it");
        }

        var stored = agent;
        string? created = null;
        if (agent.RabbitMqPassword is null)
        {
            created = _cipher.Encrypt(agent.TenantName, AssociatedData(agent.Name), NewPassword());
            stored = await _store.SetAgentBrokerUserAsync(
                agent.TenantName, agent.Name, UsernamePrefix + agent.Name, created, _time.GetUtcNow(), cancellationToken)
                ?? throw StratusException.NotFound($"Requested `Agent` with ID `{agent.Name}` was not found");
        }

        var username = stored.RabbitMqUsername ?? UsernamePrefix + agent.Name;
        var password = _cipher.Decrypt(stored.TenantName, AssociatedData(stored.Name), stored.RabbitMqPassword!);
        try
        {
            await api.PutUserAsync(username, password, cancellationToken);
            await api.SetPermissionsAsync(_vhost, username, Permissions(stored.Name), cancellationToken);
        }
        catch (StratusException) when (created is not null && stored.RabbitMqPassword == created)
        {
            await _store.ClearAgentBrokerUserAsync(stored.TenantName, stored.Name, created, CancellationToken.None);
            throw;
        }

        LogUserReady(_logger, username, stored.Name, _vhost);
        return (stored, password);
    }

    /// <summary>Deletes the agent's broker user, if it has one (RabbitMQ closes its connections).</summary>
    public async Task DeleteAsync(AgentRecord agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_api is null || agent.RabbitMqUsername is not { } username)
        {
            return;
        }

        await _api.DeleteUserAsync(username, cancellationToken);
        LogUserDeleted(_logger, username, agent.Name);
    }

    /// <summary>Deletes <c>rabbitmq_user_*</c> users that no agent row (not marked deleted) names; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        if (_api is null)
        {
            return 0;
        }

        // RabbitMQ first, then the database: a user is made only after its row names it, so a user seen here whose
        // row is missing from the later read is really left over.
        var users = await _api.ListUsersAsync(cancellationToken);
        var kept = (await _store.ListAgentBrokerUsersAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var user in users.Where(u => u.StartsWith(UsernamePrefix, StringComparison.Ordinal) && !kept.Contains(u)))
        {
            await _api.DeleteUserAsync(user, cancellationToken);
            LogUserDeleted(_logger, user, user[UsernamePrefix.Length..]);
            removed++;
        }

        return removed;
    }

    public void Dispose() => _api?.Dispose();

    private static string AssociatedData(string agentName) => "agents/" + agentName + "/rabbitmq_password";

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    private static string Vhost(string? brokerUrl)
    {
        if (brokerUrl is null || !Uri.TryCreate(brokerUrl, UriKind.Absolute, out var url) || url.AbsolutePath.Length <= 1)
        {
            return "/";
        }

        return Uri.UnescapeDataString(url.AbsolutePath[1..]);
    }

    private static string Escape(string name)
    {
        var escaped = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (@"\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker user {Username} of agent {AgentName} ready on vhost {Vhost}")]
    private static partial void LogUserReady(ILogger logger, string username, string agentName, string vhost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker user {Username} of agent {AgentName} deleted")]
    private static partial void LogUserDeleted(ILogger logger, string username, string agentName);
}
