using System.Globalization;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// <c>install_method: remote</c> on a systemd host through an SSH user who is not root: the installer's <c>sudo -n</c>
/// path (detection, unit install, removal) against the private systemd's login <c>STRATUS_TEST_SYSTEMD_SUDO</c>, a user
/// with passwordless sudo that exists only inside that systemd's namespace. The unit runs the agent as that user
/// (<c>User=</c> is the SSH user), from the agent folder in the user's home.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class SystemdSudoAgentTests(RabbitMqManager rabbit)
{
    private static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task RemoteAgent_OnASystemdHost_ThroughANonRootUserWithSudo_RunsAsThatUsersUnit_AndUninstallRemovesIt()
    {
        var manager = rabbit.Require();
        var host = SystemdHost.RequireSudo();
        var ct = TestContext.Current.CancellationToken;
        const string id = "systemd-sudo-e2e";
        var client = manager.Client;
        string Diagnostics() => manager.Output;

        // The user must be able to write both: the agent (run as that user) writes the application's record.
        Assert.NotEqual("root", host.User);
        var (_, home) = await host.RunAsync("printf '%s' \"$HOME\"", ct);
        Assert.StartsWith("/", home, StringComparison.Ordinal);
        var outDir = home + "/" + id + "-out";
        Assert.Equal(0, (await host.RunAsync($"mkdir -p {outDir}", ct)).Code);
        var uid = (await host.RunAsync("id -u", ct)).Output;
        Assert.NotEqual("0", uid);

        var (vm, _) = await RemoteAgentDeployment.InstallAsync(manager, id, outDir, home, host.User, host.KeyFile, host.Port, WorkflowTimeout);
        var unit = $"stratus-agent-{vm.Id}.service";
        var unitFile = "/etc/systemd/system/" + unit;
        var agentDir = home + "/.stratus-agent/" + vm.Id;
        try
        {
            // Detection ran as the user: systemd was chosen because `sudo -n` works, and the unit was installed through it.
            Assert.Equal("systemd", vm.RuntimeProperties?["cloudify_agent"]?["process_management"]?["name"]?.GetValue<string>());
            Assert.Equal((0, "active"), await host.RunAsync(host.Root($"systemctl is-active {unit}"), ct));
            Assert.Equal((0, "enabled"), await host.RunAsync(host.Root($"systemctl is-enabled {unit}"), ct));
            Assert.Equal((0, "644 root"), await host.RunAsync($"stat -c '%a %U' {unitFile}", ct));
            Assert.Contains($"User={host.User}\n", (await host.RunAsync($"cat {unitFile}", ct)).Output, StringComparison.Ordinal);

            // The unit's main process is the agent, running as the SSH user (not root), from the user's own files.
            var mainPid = int.Parse(await host.UnitPropertyAsync(unit, "MainPID", ct), CultureInfo.InvariantCulture);
            Assert.True(mainPid > 1, $"{unit} has no main process");
            Assert.Contains($"agent start --name {vm.Id}", (await host.RunAsync($"tr '\\0' ' ' < /proc/{mainPid}/cmdline", ct)).Output, StringComparison.Ordinal);
            Assert.Equal((0, uid), await host.RunAsync($"awk '/^Uid:/ {{print $2}}' /proc/{mainPid}/status", ct));
            Assert.Equal((0, $"600 {host.User}\n600 {host.User}"), await host.RunAsync($"stat -c '%a %U' {agentDir}/agent.env {agentDir}/agent.log", ct));

            // The operation ran in that agent: its name, agent_config.env, and the unit's main process among its ancestors.
            var record = (await File.ReadAllTextAsync(outDir + "/app.txt", ct)).Split('\n');
            Assert.Equal((vm.Id, "set-by-agent-config-env"), (record[0], record[1]));
            Assert.Contains(mainPid, record[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            Assert.Equal("started", (await client.Agents.GetAsync(vm.Id, ct)).State);

            var uninstall = await client.Executions.StartAsync(id, "uninstall", cancellationToken: ct);
            var uninstalled = await Waits.ForExecutionEndAsync(client, uninstall.Id, "uninstall", WorkflowTimeout, Diagnostics);
            Assert.True(uninstalled.Status == ExecutionStates.Terminated, $"uninstall ended {uninstalled.Status}: {uninstalled.Error}\n{Diagnostics()}");
            Assert.Equal("deleted", (await client.Agents.GetAsync(vm.Id, ct)).State);
            Assert.NotEqual(0, (await host.RunAsync(host.Root($"systemctl is-active {unit}"), ct)).Code);
            Assert.Equal((0, "absent"), await host.RunAsync($"test -e {unitFile} || test -e /etc/systemd/system/multi-user.target.wants/{unit} || echo absent", ct));
            Assert.Equal((0, ""), await host.RunAsync(host.Root($"systemctl list-units --all --no-legend {unit}"), ct));
            Assert.Equal((0, ""), await host.RunAsync($"pgrep -f 'agent start --nam[e] {vm.Id}' || true", ct));
            Assert.Equal((0, "gone"), await host.RunAsync($"test -e {agentDir} || echo gone", ct));
        }
        finally
        {
            // A failed assertion must not leave the unit running in the private systemd.
            await host.RunAsync(host.Root($"sh -c 'systemctl disable --now {unit} 2>/dev/null; rm -f {unitFile}; systemctl daemon-reload'"), CancellationToken.None);
        }

        await client.Deployments.DeleteAsync(id, cancellationToken: ct);
        await Waits.ForNotFoundAsync(c => client.Deployments.GetAsync(id, c), "delete deployment", id, WorkflowTimeout);
        await client.Blueprints.DeleteAsync(id, cancellationToken: ct);
    }
}
