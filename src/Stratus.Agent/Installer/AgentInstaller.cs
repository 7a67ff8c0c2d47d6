using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Ctx;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Installer;

/// <summary>
/// The built-in agent plugin's operations on a Compute host (Cloudify's <c>cloudify_agent.installer.operations</c>).
/// <c>provided</c>: the user starts the agent; create records it against the host instance, waits until it
/// heartbeats, then writes <c>cloudify_agent</c> (name, queue) into the host's runtime properties, which routes the
/// host's <c>host_agent</c> operations to it. <c>remote</c> (SSH), <c>plugin</c> and <c>init_script</c> cannot be
/// done here and are refused with the node named.
/// </summary>
internal sealed partial class AgentInstaller(IOptions<AgentOptions> options, TimeProvider time, ILogger<AgentInstaller> logger)
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
                return await CreateAsync(context, api, name, method, agent, cancellationToken);
            case StopAmqpTask:
                await api.PatchAgentAsync(options.Value.Name, new JsonObject { ["state"] = "stopped" }, cancellationToken);
                return null;
            case StopTask:
                await api.PatchAgentAsync(name, new JsonObject { ["state"] = "stopped" }, cancellationToken);
                return null;
            default:
                // checkpoint: the row stays (as Cloudify's) in state deleted; the host instance and the row go with the deployment.
                await api.PatchAgentAsync(name, new JsonObject { ["state"] = "deleted" }, cancellationToken);
                return null;
        }
    }

    private async Task<JsonNode?> CreateAsync(
        TaskContext context, IManagerApi api, string name, string method, JsonObject agent, CancellationToken cancellationToken)
    {
        var instanceId = context.NodeId!;
        switch (method)
        {
            case "provided":
                break;
            case "remote":
                throw OperationException.NonRecoverable(
                    $"Node instance {instanceId} of node '{context.NodeName}': agent_config.install_method 'remote' installs the agent over SSH, "
                    + "which Stratus does not do. Use install_method 'provided' and start the agent on the host with "
                    + $"`stratus agent start --name {name} --manager-url URL --broker-url AMQPURL`, or 'none' to run its operations on the manager");
            default:
                throw OperationException.NonRecoverable(
                    $"Node instance {instanceId} of node '{context.NodeName}': agent_config.install_method '{method}' is not supported "
                    + "(it installs the agent from a wagon, which Stratus cannot install); use 'provided' or 'none'");
        }

        await api.PutAgentAsync(
            name,
            new JsonObject { ["node_instance_id"] = instanceId, ["install_method"] = method, ["state"] = "creating" },
            cancellationToken);

        var timeout = JsonRead.Long(agent["wait_timeout"]) is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : options.Value.ProvidedAgentTimeout;
        var deadline = time.GetUtcNow() + timeout;
        await using (var log = new OperationLog(api, LogContext.From(context), time, options.Value.LogFlushInterval, logger))
        {
            log.Log(
                "info",
                $"Waiting up to {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s for agent {name} to start: run "
                + $"`stratus agent start --name {name} --manager-url URL --broker-url AMQPURL` on the host of {instanceId}");
            string? firstBeat = null;
            for (var look = 0; ; look++)
            {
                var current = await api.GetAgentAsync(name, cancellationToken);
                var beat = JsonRead.String(current?["last_heartbeat"]);
                var state = JsonRead.String(current?["state"]);
                // Alive: started and heartbeating, or (an agent left stopped or deleted by an earlier uninstall and
                // still running) a heartbeat newer than the one seen first.
                if (current is not null && beat is not null && (state == "started" || (look > 0 && beat != firstBeat)))
                {
                    if (state != "started")
                    {
                        await api.PatchAgentAsync(name, new JsonObject { ["state"] = "started" }, cancellationToken);
                    }

                    log.Log("info", $"Agent {name} is running (version {JsonRead.String(current["version"]) ?? "unknown"})");
                    break;
                }

                if (look == 0)
                {
                    firstBeat = beat;
                }

                if (time.GetUtcNow() >= deadline)
                {
                    throw OperationException.NonRecoverable(
                        $"Agent {name} of node instance {instanceId} did not start within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s "
                        + $"(install_method provided: start it with `stratus agent start --name {name}`); its state is "
                        + $"{state ?? "unknown"}");
                }

                await Task.Delay(options.Value.ProvidedAgentPollInterval, time, cancellationToken);
            }
        }

        await WriteRuntimeAgentAsync(api, instanceId, name, method, cancellationToken);
        LogAgentReady(logger, name, instanceId);
        return null;
    }

    /// <summary><c>runtime_properties.cloudify_agent</c> as Cloudify's create leaves it: the engine routes by its <c>queue</c>.</summary>
    private static async Task WriteRuntimeAgentAsync(IManagerApi api, string instanceId, string name, string method, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var instance = await api.GetNodeInstanceAsync(instanceId, cancellationToken);
            var properties = instance["runtime_properties"] as JsonObject ?? [];
            properties = (JsonObject)properties.DeepClone();
            properties["cloudify_agent"] = new JsonObject { ["name"] = name, ["queue"] = name, ["install_method"] = method };
            try
            {
                await api.UpdateNodeInstanceAsync(instanceId, properties, JsonRead.Long(instance["version"]) ?? 0, cancellationToken);
                return;
            }
            catch (ManagerApiException e) when (e.IsConflict && attempt < 5)
            {
                // Someone else wrote the instance meanwhile: read it again and re-apply (Cloudify's on_conflict retry).
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} serves node instance {NodeInstanceId}")]
    private static partial void LogAgentReady(ILogger logger, string agentName, string nodeInstanceId);
}
