using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Client.Models;

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
        string Diagnostics() => manager.Output;

        var (vm, _) = await RemoteAgentDeployment.InstallAsync(manager, id, outDir, basedir, host.User, host.KeyFile, host.Port, WorkflowTimeout);
        var unit = $"stratus-agent-{vm.Id}.service";
        var unitFile = "/etc/systemd/system/" + unit;
        var agentDir = Path.Combine(basedir, ".stratus-agent", vm.Id);
        try
        {
            // Chosen by detection on the host (the blueprint does not say), and run by systemd, not detached.
            Assert.Equal("systemd", vm.RuntimeProperties?["cloudify_agent"]?["process_management"]?["name"]?.GetValue<string>());
            Assert.Equal((0, "active"), await host.RunAsync($"systemctl is-active {unit}", ct));
            Assert.Equal((0, "enabled"), await host.RunAsync($"systemctl is-enabled {unit}", ct));
            Assert.False(File.Exists(Path.Combine(agentDir, "agent.pid")), "a systemd agent has no agent.pid of the detached path");
            var mainPid = int.Parse(await host.UnitPropertyAsync(unit, "MainPID", ct), CultureInfo.InvariantCulture);
            Assert.True(mainPid > 1, $"{unit} has no main process");
            Assert.Contains($"agent start --name {vm.Id}", (await host.RunAsync($"tr '\\0' ' ' < /proc/{mainPid}/cmdline", ct)).Output, StringComparison.Ordinal);

            // The application's script ran in the unit's main process (ids as the host sees them), with agent_config.env.
            var record = (await File.ReadAllTextAsync(Path.Combine(outDir, "app.txt"), ct)).Split('\n');
            Assert.Equal((vm.Id, "set-by-agent-config-env"), (record[0], record[1]));
            Assert.Contains(mainPid, record[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            Assert.Equal("started", (await client.Agents.GetAsync(vm.Id, ct)).State);

            // The unit is world-readable and holds no credential; the env file and the log are the owner's only, and the
            // log (the unit's output) holds no token.
            var env = await File.ReadAllTextAsync(Path.Combine(agentDir, "agent.env"), ct);
            var token = env.Split('\n').Single(l => l.StartsWith("STRATUS_TOKEN=", StringComparison.Ordinal))["STRATUS_TOKEN=".Length..].Trim('\'');
            Assert.StartsWith("agt-", token, StringComparison.Ordinal);
            var (_, unitText) = await host.RunAsync($"cat {unitFile}", ct);
            Assert.Contains($"User={host.User}", unitText, StringComparison.Ordinal);
            Assert.DoesNotContain(token, unitText, StringComparison.Ordinal);
            Assert.DoesNotContain(ManagerProcess.AdminPassword, unitText, StringComparison.Ordinal);
            Assert.Equal((0, "644 root"), await host.RunAsync($"stat -c '%a %U' {unitFile}", ct));
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

            var uninstall = await client.Executions.StartAsync(id, "uninstall", cancellationToken: ct);
            var uninstalled = await Waits.ForExecutionEndAsync(client, uninstall.Id, "uninstall", WorkflowTimeout, Diagnostics);
            Assert.True(uninstalled.Status == ExecutionStates.Terminated, $"uninstall ended {uninstalled.Status}: {uninstalled.Error}\n{Diagnostics()}");
            Assert.Equal("deleted", (await client.Agents.GetAsync(vm.Id, ct)).State);
            Assert.NotEqual(0, (await host.RunAsync($"systemctl is-active {unit}", ct)).Code);
            Assert.Equal((0, "absent"), await host.RunAsync($"test -e {unitFile} || test -e /etc/systemd/system/multi-user.target.wants/{unit} || echo absent", ct));
            Assert.Equal((0, ""), await host.RunAsync($"systemctl list-units --all --no-legend {unit}", ct));
            Assert.Equal((0, ""), await host.RunAsync($"pgrep -f 'agent start --nam[e] {vm.Id}' || true", ct));
            Assert.False(Directory.Exists(agentDir), $"{agentDir} is still on the host");
        }
        finally
        {
            // A failed assertion must not leave the unit running in the private systemd.
            await host.RunAsync($"systemctl disable --now {unit} 2>/dev/null; rm -f {unitFile}; systemctl daemon-reload", CancellationToken.None);
        }

        await client.Deployments.DeleteAsync(id, cancellationToken: ct);
        await Waits.ForNotFoundAsync(c => client.Deployments.GetAsync(id, c), "delete deployment", id, WorkflowTimeout);
        await client.Blueprints.DeleteAsync(id, cancellationToken: ct);
    }
}
