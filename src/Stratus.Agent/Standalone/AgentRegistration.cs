using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Standalone;

/// <summary>
/// A standalone agent's own calls to the manager, with the agent's credentials (not an execution's token):
/// registration (<c>PUT</c> then <c>PATCH /agents/{name}</c> to <c>started</c>), a heartbeat every
/// <see cref="AgentOptions.HeartbeatInterval"/>, and <c>stopped</c> on a graceful stop. Each call fails over between
/// the configured managers; a heartbeat that reaches none is logged and tried again at the next beat.
/// </summary>
internal sealed partial class AgentRegistration(
    AgentRestClient client,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentRegistration> logger) : BackgroundService
{
    private static readonly string Version = typeof(AgentRegistration).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private string Name => options.Value.Name;

    /// <summary>
    /// Registers the agent; with <see cref="AgentOptions.RequestBrokerUser"/> it asks for its own broker user
    /// (<c>create_rabbitmq_user</c>) and returns that user's credentials, else null.
    /// </summary>
    public async Task<NetworkCredential?> RegisterAsync(CancellationToken cancellationToken)
    {
        var system = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}".Trim();
        var put = new JsonObject { ["state"] = "starting", ["install_method"] = "provided", ["version"] = Version, ["system"] = system };
        if (options.Value.RequestBrokerUser)
        {
            put["create_rabbitmq_user"] = true;
        }

        var registered = await SendAsync(HttpMethod.Put, put, "", cancellationToken);
        NetworkCredential? brokerUser = null;
        if (options.Value.RequestBrokerUser)
        {
            var username = JsonRead.String(registered?["rabbitmq_username"]);
            var password = JsonRead.String(registered?["rabbitmq_password"]);
            if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
            {
                throw new ManagerApiException(
                    HttpStatusCode.OK, null, $"the manager made no broker user for agent {Name} (its answer has no rabbitmq_username/rabbitmq_password)");
            }

            brokerUser = new NetworkCredential(username, password);
        }

        await SendAsync(HttpMethod.Patch, new JsonObject { ["state"] = "started", ["version"] = Version, ["system"] = system }, "", cancellationToken);
        await SendAsync(HttpMethod.Post, null, "/heartbeat", cancellationToken);
        LogRegistered(logger, Name, Version);
        return brokerUser;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.HeartbeatInterval, time, stoppingToken);
                await SendAsync(HttpMethod.Post, null, "/heartbeat", stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ManagerApiException e)
            {
                LogHeartbeatFailed(logger, Name, e.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await SendAsync(HttpMethod.Patch, new JsonObject { ["state"] = "stopped" }, "", cancellationToken);
        }
        catch (Exception e) when (e is ManagerApiException or OperationCanceledException)
        {
            LogHeartbeatFailed(logger, Name, e.Message);
        }
    }

    private Task<JsonObject?> SendAsync(HttpMethod method, JsonObject? body, string suffix, CancellationToken cancellationToken) =>
        client.SendAsync(method, $"api/v3.1/agents/{Uri.EscapeDataString(Name)}{suffix}", body, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} (version {Version}) registered with the manager")]
    private static partial void LogRegistered(ILogger logger, string agentName, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentName} could not reach the manager: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string agentName, string reason);
}
