using System.Globalization;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// What every remote agent installed as a systemd unit must show, whichever SSH login installed it (root, or a user
/// with sudo: commands that need root go through <see cref="SystemdHost.Root"/>); shared by the systemd agent tests.
/// </summary>
internal static class SystemdAgentChecks
{
    public static string UnitName(NodeInstance vm) => $"stratus-agent-{vm.Id}.service";

    public static string UnitFile(string unit) => "/etc/systemd/system/" + unit;

    /// <summary>
    /// Detection chose systemd; the unit is active and enabled, world-readable (644 root) and runs the agent as the SSH
    /// user; the application's script ran in the unit's main process with <c>agent_config.env</c>. Returns that pid.
    /// </summary>
    public static async Task<int> AssertRunsInUnitAsync(ManagerProcess manager, SystemdHost host, NodeInstance vm, string outDir, CancellationToken ct)
    {
        var unit = UnitName(vm);
        Assert.Equal("systemd", vm.RuntimeProperties?["cloudify_agent"]?["process_management"]?["name"]?.GetValue<string>());
        Assert.Equal((0, "active"), await host.RunAsync(host.Root($"systemctl is-active {unit}"), ct));
        Assert.Equal((0, "enabled"), await host.RunAsync(host.Root($"systemctl is-enabled {unit}"), ct));
        Assert.Equal((0, "644 root"), await host.RunAsync($"stat -c '%a %U' {UnitFile(unit)}", ct));
        Assert.Contains($"User={host.User}\n", (await host.RunAsync($"cat {UnitFile(unit)}", ct)).Output, StringComparison.Ordinal);

        var mainPid = int.Parse(await host.UnitPropertyAsync(unit, "MainPID", ct), CultureInfo.InvariantCulture);
        Assert.True(mainPid > 1, $"{unit} has no main process");
        Assert.Contains($"agent start --name {vm.Id}", (await host.RunAsync($"tr '\\0' ' ' < /proc/{mainPid}/cmdline", ct)).Output, StringComparison.Ordinal);

        // The script records its agent's name, the agent_config.env value and its ancestors' pids (as the host sees them).
        var record = (await File.ReadAllTextAsync(Path.Combine(outDir, "app.txt"), ct)).Split('\n');
        Assert.Equal((vm.Id, "set-by-agent-config-env"), (record[0], record[1]));
        Assert.Contains(mainPid, record[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
        Assert.Equal("started", (await manager.Client.Agents.GetAsync(vm.Id, ct)).State);
        return mainPid;
    }

    /// <summary>Runs uninstall: the agent is deleted and leaves no unit, enablement link, process or folder on the host.</summary>
    public static async Task UninstallAsync(ManagerProcess manager, SystemdHost host, string id, NodeInstance vm, string agentDir, TimeSpan timeout, CancellationToken ct)
    {
        var client = manager.Client;
        var unit = UnitName(vm);
        var uninstall = await client.Executions.StartAsync(id, "uninstall", cancellationToken: ct);
        var uninstalled = await Waits.ForExecutionEndAsync(client, uninstall.Id, "uninstall", timeout, () => manager.Output);
        Assert.True(uninstalled.Status == ExecutionStates.Terminated, $"uninstall ended {uninstalled.Status}: {uninstalled.Error}\n{manager.Output}");
        Assert.Equal("deleted", (await client.Agents.GetAsync(vm.Id, ct)).State);
        Assert.NotEqual(0, (await host.RunAsync(host.Root($"systemctl is-active {unit}"), ct)).Code);
        Assert.Equal((0, "absent"), await host.RunAsync($"test -e {UnitFile(unit)} || test -e /etc/systemd/system/multi-user.target.wants/{unit} || echo absent", ct));
        Assert.Equal((0, ""), await host.RunAsync(host.Root($"systemctl list-units --all --no-legend {unit}"), ct));
        Assert.Equal((0, ""), await host.RunAsync($"pgrep -f 'agent start --nam[e] {vm.Id}' || true", ct));
        Assert.Equal((0, "gone"), await host.RunAsync($"test -e {agentDir} || echo gone", ct));
    }

    /// <summary>Stops and removes the unit whatever happened: a failed assertion must not leave it running in the private systemd.</summary>
    public static Task RemoveUnitAsync(SystemdHost host, NodeInstance vm)
    {
        var unit = UnitName(vm);
        return host.RunAsync(host.Root($"sh -c 'systemctl disable --now {unit} 2>/dev/null; rm -f {UnitFile(unit)}; systemctl daemon-reload'"), CancellationToken.None);
    }

    /// <summary>Deletes the test's deployment (waiting until it is gone) and its blueprint.</summary>
    public static async Task DeleteDeploymentAsync(ManagerProcess manager, string id, TimeSpan timeout, CancellationToken ct)
    {
        var client = manager.Client;
        await client.Deployments.DeleteAsync(id, cancellationToken: ct);
        await Waits.ForNotFoundAsync(c => client.Deployments.GetAsync(id, c), "delete deployment", id, timeout);
        await client.Blueprints.DeleteAsync(id, cancellationToken: ct);
    }
}
