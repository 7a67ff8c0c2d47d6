using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Installer.Remote;

internal sealed partial class RemoteInstaller
{
    /// <summary>The kwarg in which the install graph passes the host node's agent properties (evaluated at dispatch).</summary>
    public const string HostPropertiesKwarg = "stratus_host_properties";

    private static async Task<(RemoteAgentConfig Config, JsonObject Runtime)> ResolveAsync(
        TaskContext context, JsonObject kwargs, IManagerApi api, string name, CancellationToken cancellationToken)
    {
        var instanceId = context.NodeId!;
        var instance = await api.GetNodeInstanceAsync(instanceId, cancellationToken);
        var runtime = instance["runtime_properties"] as JsonObject ?? [];
        var config = RemoteAgentConfig.Resolve(
            name, instanceId, context.NodeName ?? instanceId, kwargs[HostPropertiesKwarg] as JsonObject ?? [], runtime, kwargs, File.ReadAllText);
        return (config, runtime);
    }

    /// <summary>
    /// Connects, retrying an unreachable host or refused credentials every poll interval until <paramref name="timeout"/>
    /// (a host just created may still be booting), then fails for good naming the instance, host and user.
    /// </summary>
    private async Task<RemoteSession> ConnectAsync(RemoteAgentConfig config, OperationLog log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var session = await RemoteSession.ConnectAsync(config, Remote.ConnectTimeout, cancellationToken);
                if (config.ExpectedFingerprint is null)
                {
                    log.Log("info", $"SSH host key of {config.Host}:{config.Port} is {session.Fingerprint}; trusted on first use and recorded for agent {config.Name}");
                }

                return session;
            }
            catch (RemoteUnreachableException e)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw OperationException.NonRecoverable(
                        $"Node instance {config.InstanceId}: could not install agent {config.Name} over SSH as {config.User} on {config.Host}:{config.Port} "
                        + $"within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({attempt} attempts): {e.Message}");
                }

                log.Log("warning", $"SSH to {config.Destination} for agent {config.Name} failed ({e.Message}); retrying");
                LogUnreachable(logger, config.Name, config.Destination, e.Message);
            }

            await Task.Delay(options.Value.ProvidedAgentPollInterval, time, cancellationToken);
        }
    }

    /// <summary>For stop and delete: one bounded connection; unreachable is recoverable (the engine retries the operation).</summary>
    private async Task<RemoteSession> ConnectOnceAsync(RemoteAgentConfig config, CancellationToken cancellationToken)
    {
        try
        {
            return await RemoteSession.ConnectAsync(config, Remote.ConnectTimeout, cancellationToken);
        }
        catch (RemoteUnreachableException e)
        {
            throw OperationException.Recoverable(
                $"Node instance {config.InstanceId}: could not reach agent {config.Name}'s host over SSH as {config.User} on {config.Host}:{config.Port}: {e.Message}");
        }
    }

    private async Task<string> RunAsync(RemoteSession session, RemoteAgentConfig config, string step, string command, CancellationToken cancellationToken)
    {
        var result = await session.RunAsync(command, Remote.CommandTimeout, cancellationToken);
        if (!result.Succeeded)
        {
            var detail = (result.Error.Length > 0 ? result.Error : result.Output).Trim();
            throw OperationException.Recoverable(
                $"Agent {config.Name} on {config.Destination} (node instance {config.InstanceId}): {step} failed with exit status {result.ExitStatus}: "
                + detail[..Math.Min(detail.Length, 500)]);
        }

        return result.Output.Trim();
    }

    private async Task<string> AgentDirAsync(RemoteSession session, RemoteAgentConfig config, CancellationToken cancellationToken)
    {
        var basedir = config.BaseDir ?? await RunAsync(session, config, "reading the user's home", RemoteScripts.Home, cancellationToken);
        if (!basedir.StartsWith('/'))
        {
            throw OperationException.NonRecoverable(
                $"Agent {config.Name} (node instance {config.InstanceId}): the base folder on {config.Host} must be an absolute path, got '{basedir}'");
        }

        return basedir.TrimEnd('/') + "/.stratus-agent/" + config.Name;
    }
}
