using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Ctx;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Installer.Remote;

/// <summary>
/// <c>install_method: remote</c>: the manager installs the agent on the host over SSH (Cloudify does it with fabric).
/// create: record the agent, connect (host key trusted on first use and recorded, or checked), upload the package
/// once (SFTP), extract it under <c>&lt;basedir or home&gt;/.stratus-agent/&lt;name&gt;</c>, write the 0600 env file with
/// the managers, the broker and a fresh agent-scoped token, start it under systemd or detached, wait for its
/// heartbeat, then route the host's operations to it. Every step is safe to repeat, so a retry or a resumed run
/// converges. stop/delete undo it in Cloudify's order.
/// </summary>
internal sealed partial class RemoteInstaller(IOptions<AgentOptions> options, AgentPackage package, TimeProvider time, ILogger<RemoteInstaller> logger)
{
    private RemoteInstallOptions Remote => options.Value.Remote;

    public async Task CreateAsync(TaskContext context, JsonObject kwargs, IManagerApi api, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var instanceId = context.NodeId!;
        if (Remote.BrokerUrl is null || Remote.ManagerUrls.Count == 0)
        {
            throw OperationException.NonRecoverable(
                $"Node instance {instanceId}: install_method remote needs the manager started with --broker-url (RabbitMQ): an agent on a host "
                + "receives its operations through the broker it shares with the managers");
        }

        var (config, runtime) = await ResolveAsync(context, kwargs, api, name, cancellationToken);
        await api.PutAgentAsync(
            name, new JsonObject { ["node_instance_id"] = instanceId, ["install_method"] = "remote", ["state"] = "creating", ["ip"] = config.Host }, cancellationToken);
        await using var log = new OperationLog(api, LogContext.From(context), time, options.Value.LogFlushInterval, logger);
        log.Log("info", $"Installing agent {name} on {config.Destination} over SSH");
        using var session = await ConnectAsync(config, log, timeout, cancellationToken);

        // checkpoint: the host key is recorded before anything else is done on the host, so a retry or a later stop
        // checks it; routing (queue) is written only once the agent runs.
        var agentRuntime = (runtime["cloudify_agent"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        agentRuntime["name"] = name;
        agentRuntime["install_method"] = "remote";
        agentRuntime["ip"] = config.Host;
        agentRuntime[RemoteAgentConfig.FingerprintKey] = session.Fingerprint;
        agentRuntime.Remove("queue");
        await AgentReadiness.WriteRuntimeAgentAsync(api, instanceId, agentRuntime, cancellationToken);

        var dir = await AgentDirAsync(session, config, cancellationToken);
        var dotnet = await InstallPackageAsync(session, config, log, dir, cancellationToken);
        var processManagement = config.ProcessManagement
            ?? await RunAsync(session, config, "detecting systemd", RemoteScripts.DetectProcessManagement, cancellationToken);
        agentRuntime["install_dir"] = dir;
        agentRuntime["process_management"] = new JsonObject { ["name"] = processManagement };

        // A fresh agent-scoped token for every start; the previous one (an earlier attempt's) stops working.
        await api.PatchAgentAsync(name, new JsonObject { ["state"] = "starting" }, cancellationToken);
        var token = JsonRead.String((await api.PutAgentAsync(
            name, new JsonObject { ["node_instance_id"] = instanceId, ["install_method"] = "remote", ["create_rest_token"] = true }, cancellationToken))["rest_token"])
            ?? throw OperationException.NonRecoverable($"The manager issued no REST token for agent {name}");
        await UploadTextAsync(session, config, dir + "/agent.env", RemoteScripts.EnvFile(AgentEnvironment(context, config, token)), cancellationToken);
        await UploadTextAsync(session, config, dir + "/run.sh", RemoteScripts.RunScript(dir, name, dotnet), cancellationToken);
        await RunAsync(session, config, "making run.sh executable", $"chmod 700 {RemoteScripts.Quote(dir + "/run.sh")}", cancellationToken);
        await StartAsync(session, config, dir, processManagement, cancellationToken);
        log.Log("info", $"Started agent {name} on {config.Host} ({processManagement}); waiting for it to register");

        try
        {
            await AgentReadiness.WaitAsync(
                api, log, time, options.Value.ProvidedAgentPollInterval, timeout, name, instanceId,
                $"installed over SSH on {config.Destination} in {dir}", cancellationToken);
        }
        catch (OperationException e) when (e.Kind == TaskError.NonRecoverable)
        {
            var tail = (await session.RunAsync(RemoteScripts.Tail(dir), Remote.CommandTimeout, cancellationToken)).Output.Trim();
            var unit = processManagement == "systemd"
                ? $"; {RemoteScripts.UnitName(name)}: {(await session.RunAsync(RemoteScripts.UnitStatus(name), Remote.CommandTimeout, cancellationToken)).Output.Trim()}"
                : "";
            throw OperationException.NonRecoverable(e.Message + unit + (tail.Length > 0 ? $"; last lines of {dir}/agent.log:\n{tail}" : ""));
        }

        agentRuntime["queue"] = name;
        await AgentReadiness.WriteRuntimeAgentAsync(api, instanceId, agentRuntime, cancellationToken);
    }

    /// <summary>Uploads the package unless the host has it, extracts it, and finds the runtime; returns the dotnet path, or null when self-contained.</summary>
    private async Task<string?> InstallPackageAsync(RemoteSession session, RemoteAgentConfig config, OperationLog log, string dir, CancellationToken cancellationToken)
    {
        var file = await package.GetAsync(cancellationToken);
        var packageName = RemoteScripts.PackageName(file.Sha256);
        if (await RunAsync(session, config, "preparing " + dir, RemoteScripts.Prepare(dir, packageName), cancellationToken) != "present")
        {
            log.Log("info", $"Uploading the agent package ({new FileInfo(file.Path).Length / 1024} KiB) to {config.Host}:{dir}");
            await using var content = File.OpenRead(file.Path);
            await session.UploadAsync(content, dir + "/" + packageName + ".part", cancellationToken);
        }

        await RunAsync(session, config, "extracting the agent package", RemoteScripts.Extract(dir, packageName, file.Sha256), cancellationToken);
        var runtime = await RunAsync(session, config, "looking for the .NET runtime", RemoteScripts.Runtime(dir), cancellationToken);
        return runtime switch
        {
            "self-contained" => null,
            _ when runtime.StartsWith("dotnet ", StringComparison.Ordinal) => runtime["dotnet ".Length..],
            _ => throw OperationException.NonRecoverable(
                $"Agent {config.Name} (node instance {config.InstanceId}): host {config.Host} has no `dotnet`, and the agent package is framework-dependent "
                + "(it needs the .NET 10 runtime with ASP.NET Core). Install it on the host, or start the manager with --agent-package "
                + "pointing to a self-contained build (scripts/agent-package.sh)"),
        };
    }

    private Dictionary<string, string> AgentEnvironment(TaskContext context, RemoteAgentConfig config, string token)
    {
        var variables = new Dictionary<string, string>(config.Env, StringComparer.Ordinal)
        {
            ["STRATUS_MANAGER_URL"] = string.Join(',', Remote.ManagerUrls.Select(u => u.ToString())),
            ["STRATUS_BROKER_URL"] = Remote.BrokerUrl!,
            ["STRATUS_TOKEN"] = token,
            ["STRATUS_TENANT"] = JsonRead.String(context.Tenant["name"]) ?? "default_tenant",
        };
        return variables;
    }

    private async Task UploadTextAsync(RemoteSession session, RemoteAgentConfig config, string path, string text, CancellationToken cancellationToken)
    {
        await RunAsync(session, config, "creating " + path, RemoteScripts.PrivateFile(path), cancellationToken);
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await session.UploadAsync(content, path, cancellationToken);
    }

    private async Task StartAsync(RemoteSession session, RemoteAgentConfig config, string dir, string processManagement, CancellationToken cancellationToken)
    {
        if (processManagement == "systemd")
        {
            foreach (var (what, value) in new[] { ("agent folder", dir), ("user", config.User) })
            {
                if (RemoteScripts.UnitProblem(value) is { } problem)
                {
                    throw OperationException.NonRecoverable(
                        $"Agent {config.Name} (node instance {config.InstanceId}): the {what} '{value}' has {problem}, which a systemd unit cannot carry; "
                        + "choose another agent_config basedir or user, or set agent_config.process_management to detach");
                }
            }

            var upload = dir + "/" + RemoteScripts.UnitName(config.Name);
            await UploadTextAsync(session, config, upload, RemoteScripts.Unit(dir, config.Name, config.User, Remote.StopTimeout), cancellationToken);
            await RunAsync(session, config, "installing the systemd unit", RemoteScripts.InstallUnit(dir, config.Name, upload), cancellationToken);
            return;
        }

        await RunAsync(session, config, "starting the agent", RemoteScripts.StartDetached(dir, Remote.StopTimeout), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentName}: SSH to {Destination} failed: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string agentName, string destination, string reason);
}
