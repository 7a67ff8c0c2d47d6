using System.Diagnostics;
using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// <c>install_method: remote</c> for real: a manager on RabbitMQ installs its agent over SSH on the private sshd of
/// scripts/test-services.sh (STRATUS_TEST_SSHD), the application's script runs in that agent process, and uninstall
/// stops and removes it from the host.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RemoteAgentTests(RabbitMqManager rabbit)
{
    private static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] UninstallAgentEvents = ["Stopping agent", "Deleting agent", "Agent deleted"];

    [Fact]
    public async Task RemoteAgent_IsInstalledOverSsh_RunsItsHostsOperations_AndIsRemovedByUninstall()
    {
        var manager = rabbit.Require();
        await InstallRunAndUninstallAsync(manager, "remote-e2e", managementUrl: null, amqpUrl: null);
    }

    /// <summary>
    /// With per-agent broker users (<c>--broker-management-url</c>) the installed agent is given the broker URL without
    /// the manager's credentials and connects as its own user <c>rabbitmq_user_&lt;name&gt;</c>.
    /// </summary>
    [Fact]
    public async Task RemoteAgent_WithPerAgentBrokerUsers_ConnectsAsItsOwnUser_WithoutTheManagersCredentials()
    {
        rabbit.Require();
        var (amqp, management) = RabbitMqManagement.Require();
        await using var vhost = await PrivateVhost.CreateAsync(amqp, management, "remote-own", TestContext.Current.CancellationToken);
        await using var manager = new ManagerProcess(["--broker-url", vhost.AmqpUrl, "--broker-management-url", management.AbsoluteUri]);
        await manager.InitializeAsync();
        await InstallRunAndUninstallAsync(manager, "remote-own-user", management, vhost.AmqpUrl);
    }

    private static async Task InstallRunAndUninstallAsync(ManagerProcess manager, string id, Uri? managementUrl, string? amqpUrl)
    {
        var (user, port, keyFile) = RequireSshd();
        var ct = TestContext.Current.CancellationToken;
        var outDir = Path.Combine(manager.WorkDir, id);
        var basedir = Path.Combine(manager.WorkDir, "remote-host-home");
        var client = manager.Client;
        string Diagnostics() => manager.Output;

        var (vm, installId) = await RemoteAgentDeployment.InstallAsync(manager, id, outDir, basedir, user, keyFile, port, WorkflowTimeout);
        var agentDir = Path.Combine(basedir, ".stratus-agent", vm.Id);
        var agentPid = int.Parse((await File.ReadAllTextAsync(Path.Combine(agentDir, "agent.pid"), ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var record = (await File.ReadAllTextAsync(Path.Combine(outDir, "app.txt"), ct)).Split('\n');
            var ancestors = record[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

            // The script ran in the installed agent: its name, its env, and its process among the script's ancestors.
            Assert.Equal(vm.Id, record[0]);
            Assert.Equal("set-by-agent-config-env", record[1]);
            Assert.Contains(agentPid, ancestors);
            Assert.Contains($"agent start --name {vm.Id}", (await File.ReadAllTextAsync($"/proc/{agentPid}/cmdline", ct)).Replace('\0', ' '), StringComparison.Ordinal);

            var listed = Assert.Single((await client.Agents.ListAsync(id, cancellationToken: ct)).Items);
            Assert.Equal((vm.Id, "started", "remote", "127.0.0.1"), (listed.Id, listed.State, listed.InstallMethod, listed.Ip));
            Assert.NotNull(listed.LastHeartbeat);
            var recorded = vm.RuntimeProperties?["cloudify_agent"];
            Assert.Equal(vm.Id, recorded?["queue"]?.GetValue<string>());
            var fingerprint = recorded?["ssh_host_key_fingerprint"]?.GetValue<string>() ?? "";
            Assert.StartsWith("SHA256:", fingerprint, StringComparison.Ordinal);
            var events = await client.Events.ListAsync(new EventsQuery { ExecutionId = installId, IncludeLogs = true }, ct);
            Assert.Contains(events.Items, e => e.Message?.Contains($"{fingerprint}; trusted on first use", StringComparison.Ordinal) == true);

            // The env file is the owner's only, holds the agent's own token, and no user's password.
            var envFile = Path.Combine(agentDir, "agent.env");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(envFile));
            var env = await File.ReadAllTextAsync(envFile, ct);
            Assert.Contains("STRATUS_TOKEN='agt-", env, StringComparison.Ordinal);
            Assert.DoesNotContain(ManagerProcess.AdminPassword, env, StringComparison.Ordinal);
            if (managementUrl is not null)
            {
                await AssertOwnBrokerUserAsync(managementUrl, amqpUrl!, vm.Id, env);
            }

            var uninstall = await client.Executions.StartAsync(id, "uninstall", cancellationToken: ct);
            var uninstalled = await Waits.ForExecutionEndAsync(client, uninstall.Id, "uninstall", WorkflowTimeout, Diagnostics);
            Assert.True(uninstalled.Status == ExecutionStates.Terminated, $"uninstall ended {uninstalled.Status}: {uninstalled.Error}\n{Diagnostics()}");
            Assert.Equal("deleted", (await client.Agents.GetAsync(vm.Id, ct)).State);
            await Waits.UntilAsync(_ => Task.FromResult(!IsRunning(agentPid)), "agent process exit", TimeSpan.FromSeconds(30), () => $"pid {agentPid} still running");
            Assert.False(Directory.Exists(agentDir), $"{agentDir} is still on the host");
            var uninstallEvents = (await client.Events.ListAsync(new EventsQuery { ExecutionId = uninstall.Id }, ct)).Items.Select(e => e.Message ?? "").ToList();
            var order = UninstallAgentEvents.Select(m => uninstallEvents.FindIndex(e => e.Contains(m, StringComparison.Ordinal))).ToList();
            Assert.True(order.All(i => i >= 0) && order.SequenceEqual(order.Order()), $"uninstall's agent events out of order: {string.Join(" | ", uninstallEvents)}");
        }
        finally
        {
            // A failed assertion must not leave the agent running on this machine.
            if (IsRunning(agentPid))
            {
                using var leftover = Process.GetProcessById(agentPid);
                leftover.Kill();
            }
        }

        await client.Deployments.DeleteAsync(id, cancellationToken: ct);
        await Waits.ForNotFoundAsync(c => client.Deployments.GetAsync(id, c), "delete deployment", id, WorkflowTimeout);
        await client.Blueprints.DeleteAsync(id, cancellationToken: ct);
    }

    /// <summary>The env file holds no broker password and the agent's broker connection is its own user's.</summary>
    private static async Task AssertOwnBrokerUserAsync(Uri managementUrl, string amqpUrl, string agentName, string env)
    {
        var amqp = new Uri(amqpUrl);
        var brokerPassword = Uri.UnescapeDataString(amqp.UserInfo.Split(':', 2)[1]);
        Assert.DoesNotContain(brokerPassword, env, StringComparison.Ordinal);
        using var admin = RabbitMqManagement.Client(managementUrl);
        var connections = "";
        await Waits.UntilAsync(
            async c => (connections = await admin.GetStringAsync("api/connections", c)).Contains($"\"user\":\"rabbitmq_user_{agentName}\"", StringComparison.Ordinal),
            "the installed agent's broker connection under its own user",
            TimeSpan.FromSeconds(30),
            () => connections);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && File.Exists($"/proc/{pid}/status")
                && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static (string User, int Port, string KeyFile) RequireSshd()
    {
        var parts = Environment.GetEnvironmentVariable("STRATUS_TEST_SSHD")?.Split(':', 4);
        if (parts is { Length: 4 } && int.TryParse(parts[1], out var port))
        {
            return (parts[2], port, parts[3]);
        }

        const string reason = "sshd was not provisioned: STRATUS_TEST_SSHD is not set (run `source scripts/test-services.sh start` first)";
        TestServices.Unavailable(reason);
        return default;
    }
}
