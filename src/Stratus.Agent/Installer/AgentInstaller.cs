using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Ctx;
using Stratus.Agent.Installer.Remote;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Installer;

/// <summary>
/// The built-in agent plugin's operations on a Compute host (Cloudify's <c>cloudify_agent.installer.operations</c>).
/// <c>provided</c>: the user starts the agent; create records it against the host instance, waits until it
/// heartbeats, then writes <c>cloudify_agent</c> (name, queue) into the host's runtime properties, which routes the
/// host's <c>host_agent</c> operations to it. <c>remote</c>: <see cref="RemoteInstaller"/> installs, starts, stops
/// and removes the agent over SSH. <c>plugin</c> and <c>init_script</c> are refused with the node named.
/// </summary>
internal sealed partial class AgentInstaller(
    IOptions<AgentOptions> options, RemoteInstaller remote, TimeProvider time, ILogger<AgentInstaller> logger)
{
    public const string CreateTask = "cloudify_agent.installer.operations.create";
    public const string StopTask = "cloudify_agent.installer.operations.stop";
    public const string DeleteTask = "cloudify_agent.installer.operations.delete";

    /// <summary>Runs on the host agent itself (executor host_agent): the agent marks itself stopped.</summary>
    public const string StopAmqpTask = "cloudify_agent.operations.stop";

    public static bool Handles(string taskName) => taskName is CreateTask or StopTask or DeleteTask or StopAmqpTask;

    public async Task<JsonNode?> RunAsync(TaskContext context, JsonObject kwargs, IManagerApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(kwargs);
        ArgumentNullException.ThrowIfNull(api);
        var agent = kwargs["cloudify_agent"] as JsonObject ?? [];
        var instanceId = context.NodeId ?? throw OperationException.NonRecoverable($"{context.TaskName} needs a node instance");
        var name = JsonRead.String(agent["name"]) ?? instanceId;
        var method = JsonRead.String(agent["install_method"]) ?? "remote";
        switch (context.TaskName)
        {
            case CreateTask:
                return await CreateAsync(context, kwargs, api, name, method, agent, cancellationToken);
            case StopAmqpTask:
                await api.PatchAgentAsync(options.Value.Name, new JsonObject { ["state"] = "stopped" }, cancellationToken);
                return null;
            case StopTask when method == "remote":
                await remote.StopAsync(context, kwargs, api, name, cancellationToken);
                return null;
            case StopTask:
                await api.PatchAgentAsync(name, new JsonObject { ["state"] = "stopped" }, cancellationToken);
                return null;
            case DeleteTask when method == "remote":
                await remote.DeleteAsync(context, kwargs, api, name, cancellationToken);
                return null;
            default:
                // checkpoint: the row stays (as Cloudify's) in state deleted; the host instance and the row go with the deployment.
                await api.PatchAgentAsync(name, new JsonObject { ["state"] = "deleted" }, cancellationToken);
                return null;
        }
    }

    private async Task<JsonNode?> CreateAsync(
        TaskContext context, JsonObject kwargs, IManagerApi api, string name, string method, JsonObject agent, CancellationToken cancellationToken)
    {
        var instanceId = context.NodeId!;
        switch (method)
        {
            case "provided":
                break;
            case "remote":
                await remote.CreateAsync(context, kwargs, api, name, WaitTimeout(agent), cancellationToken);
                LogAgentReady(logger, name, instanceId);
                return null;
            default:
                throw OperationException.NonRecoverable(
                    $"Node instance {instanceId} of node '{context.NodeName}': agent_config.install_method '{method}' is not supported "
                    + "(it installs the agent from a wagon, which Stratus cannot install); use 'remote', 'provided' or 'none'");
        }

        await api.PutAgentAsync(
            name,
            new JsonObject { ["node_instance_id"] = instanceId, ["install_method"] = method, ["state"] = "creating" },
            cancellationToken);

        var timeout = WaitTimeout(agent);
        await using (var log = new OperationLog(api, LogContext.From(context), time, options.Value.LogFlushInterval, logger))
        {
            log.Log(
                "info",
                $"Waiting up to {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s for agent {name} to start: run "
                + $"`stratus agent start --name {name} --manager-url URL --broker-url AMQPURL` on the host of {instanceId}");
            await AgentReadiness.WaitAsync(
                api, log, time, options.Value.ProvidedAgentPollInterval, timeout, name, instanceId,
                $"install_method provided: start it with `stratus agent start --name {name}`", cancellationToken);
        }

        await AgentReadiness.WriteRuntimeAgentAsync(
            api, instanceId, new JsonObject { ["name"] = name, ["queue"] = name, ["install_method"] = method }, cancellationToken);
        LogAgentReady(logger, name, instanceId);
        return null;
    }

    private TimeSpan WaitTimeout(JsonObject agent) =>
        JsonRead.Long(agent["wait_timeout"]) is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : options.Value.ProvidedAgentTimeout;

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} serves node instance {NodeInstanceId}")]
    private static partial void LogAgentReady(ILogger logger, string agentName, string nodeInstanceId);
}
