using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;

namespace Stratus.Agent.Installer;

/// <summary>
/// Waits until an agent process runs: its row is <c>started</c> with a heartbeat, or (an agent left stopped or
/// deleted by an earlier uninstall and still running) a heartbeat newer than the one seen first. On timeout a
/// non-recoverable error names the agent, the instance, its last state and <paramref name="hint"/>.
/// </summary>
internal static class AgentReadiness
{
    public static async Task WaitAsync(
        IManagerApi api, OperationLog log, TimeProvider time, TimeSpan poll, TimeSpan timeout, string name, string instanceId, string hint, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        string? firstBeat = null;
        for (var look = 0; ; look++)
        {
            var current = await api.GetAgentAsync(name, cancellationToken);
            var beat = JsonRead.String(current?["last_heartbeat"]);
            var state = JsonRead.String(current?["state"]);
            if (current is not null && beat is not null && (state == "started" || (look > 0 && beat != firstBeat)))
            {
                if (state != "started")
                {
                    await api.PatchAgentAsync(name, new JsonObject { ["state"] = "started" }, cancellationToken);
                }

                log.Log("info", $"Agent {name} is running (version {JsonRead.String(current["version"]) ?? "unknown"})");
                return;
            }

            if (look == 0)
            {
                firstBeat = beat;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw OperationException.NonRecoverable(
                    $"Agent {name} of node instance {instanceId} did not start within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s "
                    + $"({hint}); its state is {state ?? "unknown"}");
            }

            await Task.Delay(poll, time, cancellationToken);
        }
    }

    /// <summary>
    /// <c>runtime_properties.cloudify_agent</c> of the host instance set to <paramref name="agent"/> (null removes it),
    /// re-read and re-applied on a version conflict (Cloudify's on_conflict retry).
    /// </summary>
    public static async Task WriteRuntimeAgentAsync(IManagerApi api, string instanceId, JsonObject? agent, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var instance = await api.GetNodeInstanceAsync(instanceId, cancellationToken);
            var properties = (JsonObject)(instance["runtime_properties"] as JsonObject ?? []).DeepClone();
            if (agent is null)
            {
                properties.Remove("cloudify_agent");
            }
            else
            {
                properties["cloudify_agent"] = agent.DeepClone();
            }

            try
            {
                await api.UpdateNodeInstanceAsync(instanceId, properties, JsonRead.Long(instance["version"]) ?? 0, cancellationToken);
                return;
            }
            catch (ManagerApiException e) when (e.IsConflict && attempt < 5)
            {
                // Someone else wrote the instance meanwhile: read it again and re-apply.
            }
        }
    }
}
