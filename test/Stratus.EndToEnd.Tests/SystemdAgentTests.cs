using System.Globalization;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// <c>install_method: remote</c> on a host that runs systemd, for real: the manager installs its agent over SSH into the
/// private systemd of scripts/test-services.sh (STRATUS_TEST_SYSTEMD, a real systemd as PID 1 of its own namespaces),
/// detects systemd there, installs and starts the unit with the installer's unchanged scripts; the application's script
/// runs in the unit's main process, a crash of the agent is restarted by systemd, and uninstall stops, disables and
/// removes the unit.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class SystemdAgentTests(RabbitMqManager rabbit)
{
    private static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task RemoteAgent_OnASystemdHost_RunsAsAnEnabledUnit_IsRestartedAfterACrash_AndUninstallRemovesTheUnit()
    {
        var manager = rabbit.Require();
        var host = SystemdHost.Require();
        var ct = TestContext.Current.CancellationToken;
        const string id = "systemd-e2e";
        var outDir = Path.Combine(manager.WorkDir, id);
        var basedir = Path.Combine(manager.WorkDir, "systemd-host-home");
        var client = manager.Client;

        var (vm, _) = await RemoteAgentDeployment.InstallAsync(manager, id, outDir, basedir, host.User, host.KeyFile, host.Port, WorkflowTimeout);
        var unit = SystemdAgentChecks.UnitName(vm);
        var agentDir = Path.Combine(basedir, ".stratus-agent", vm.Id);
        try
        {
            var mainPid = await SystemdAgentChecks.AssertRunsInUnitAsync(manager, host, vm, outDir, ct);
            Assert.False(File.Exists(Path.Combine(agentDir, "agent.pid")), "a systemd agent has no agent.pid of the detached path");

            // The unit holds no credential; the env file and the log are the owner's only, and the log (the unit's
            // output) holds no token.
            var env = await File.ReadAllTextAsync(Path.Combine(agentDir, "agent.env"), ct);
            var token = env.Split('\n').Single(l => l.StartsWith("STRATUS_TOKEN=", StringComparison.Ordinal))["STRATUS_TOKEN=".Length..].Trim('\'');
            Assert.StartsWith("agt-", token, StringComparison.Ordinal);
            var (_, unitText) = await host.RunAsync($"cat {SystemdAgentChecks.UnitFile(unit)}", ct);
            Assert.DoesNotContain(token, unitText, StringComparison.Ordinal);
            Assert.DoesNotContain(ManagerProcess.AdminPassword, unitText, StringComparison.Ordinal);
            var log = Path.Combine(agentDir, "agent.log");
            Assert.Equal((0, $"600 {host.User}\n600 {host.User}"), await host.RunAsync($"stat -c '%a %U' {agentDir}/agent.env {log}", ct));
            Assert.True(new FileInfo(log).Length > 0, "the unit's output did not reach agent.log");
            Assert.DoesNotContain(token, await File.ReadAllTextAsync(log, ct), StringComparison.Ordinal);

            // Restart=on-failure, for real: the agent killed with SIGKILL comes back under a new pid and heartbeats again.
            var beforeCrash = (await client.Agents.GetAsync(vm.Id, ct)).LastHeartbeat;
            Assert.Equal(0, (await host.RunAsync($"kill -9 {mainPid}", ct)).Code);
            var restarted = "";
            await Waits.UntilAsync(
                async c => (restarted = await host.UnitPropertyAsync(unit, "MainPID", c)) is var pid && pid != "0" && pid != mainPid.ToString(CultureInfo.InvariantCulture)
                    && await host.UnitPropertyAsync(unit, "ActiveState", c) == "active",
                $"systemd restarting {unit} after kill -9 of {mainPid}",
                TimeSpan.FromSeconds(60),
                () => $"MainPID {restarted}");
            Assert.Equal("1", await host.UnitPropertyAsync(unit, "NRestarts", ct));
            string? heartbeat = null;
            await Waits.UntilAsync(
                async c => (heartbeat = (await client.Agents.GetAsync(vm.Id, c)).LastHeartbeat) is not null && heartbeat != beforeCrash,
                $"a heartbeat of agent {vm.Id} after its restart",
                TimeSpan.FromSeconds(60),
                () => $"last heartbeat {heartbeat}, before the crash {beforeCrash}");

            await SystemdAgentChecks.UninstallAsync(manager, host, id, vm, agentDir, WorkflowTimeout, ct);
        }
        finally
        {
            await SystemdAgentChecks.RemoveUnitAsync(host, vm);
        }

        await SystemdAgentChecks.DeleteDeploymentAsync(manager, id, WorkflowTimeout, ct);
    }
}
