using System.Text.Json.Nodes;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Installer.Remote;

internal sealed partial class RemoteInstaller
{
    /// <summary>Cloudify's remote <c>stop</c>: stopping, the service or process stopped on the host, stopped.</summary>
    public async Task StopAsync(TaskContext context, JsonObject kwargs, IManagerApi api, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await api.PatchAgentAsync(name, new JsonObject { ["state"] = "stopping" }, cancellationToken);
        if (await InstalledDirAsync(api, context.NodeId!, cancellationToken) is { } dir)
        {
            var (config, runtime) = await ResolveAsync(context, kwargs, api, name, cancellationToken);
            var installed = runtime["cloudify_agent"] as JsonObject;
            using var session = await ConnectOnceAsync(config, cancellationToken);
            var command = ProcessManagementOf(installed) == "systemd" ? RemoteScripts.StopUnit(name) : RemoteScripts.StopDetached(dir, Remote.StopTimeout);
            await RunAsync(session, config, "stopping the agent", command, cancellationToken);
        }

        await api.PatchAgentAsync(name, new JsonObject { ["state"] = "stopped" }, cancellationToken);
    }

    /// <summary>
    /// Cloudify's remote <c>delete</c>: deleting, the unit and the agent's folder removed from the host,
    /// <c>runtime_properties.cloudify_agent</c> removed, deleted (which revokes the agent's REST token).
    /// </summary>
    public async Task DeleteAsync(TaskContext context, JsonObject kwargs, IManagerApi api, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await api.PatchAgentAsync(name, new JsonObject { ["state"] = "deleting" }, cancellationToken);
        if (await InstalledDirAsync(api, context.NodeId!, cancellationToken) is { } dir)
        {
            var (config, runtime) = await ResolveAsync(context, kwargs, api, name, cancellationToken);
            var installed = runtime["cloudify_agent"] as JsonObject;
            using var session = await ConnectOnceAsync(config, cancellationToken);
            if (ProcessManagementOf(installed) == "systemd")
            {
                await RunAsync(session, config, "removing the systemd unit", RemoteScripts.RemoveUnit(name), cancellationToken);
            }

            // A detached agent still running (stop was skipped or failed) is stopped before its files go.
            await RunAsync(session, config, "stopping the agent", RemoteScripts.StopDetached(dir, Remote.StopTimeout), cancellationToken);
            await RunAsync(session, config, "removing " + dir, $"rm -rf {RemoteScripts.Quote(dir)}", cancellationToken);
        }

        // checkpoint: the folder goes before the record of it; a retry in between removes an absent folder again, harmlessly.
        await AgentReadiness.WriteRuntimeAgentAsync(api, context.NodeId!, null, cancellationToken);
        await api.PatchAgentAsync(name, new JsonObject { ["state"] = "deleted" }, cancellationToken);
    }

    /// <summary>
    /// Where create put the agent, from the host's runtime properties; null when create never got that far (an
    /// uninstall after a failed install then only updates the record, without needing the host or its credentials).
    /// </summary>
    private static async Task<string?> InstalledDirAsync(IManagerApi api, string instanceId, CancellationToken cancellationToken)
    {
        var instance = await api.GetNodeInstanceAsync(instanceId, cancellationToken);
        return JsonRead.String(((instance["runtime_properties"] as JsonObject)?["cloudify_agent"] as JsonObject)?["install_dir"]);
    }

    private static string? ProcessManagementOf(JsonObject? installed) =>
        JsonRead.String((installed?["process_management"] as JsonObject)?["name"]);
}
