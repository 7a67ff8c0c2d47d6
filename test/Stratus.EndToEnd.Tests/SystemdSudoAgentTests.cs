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

        // The user must be able to write both: the agent (run as that user) writes the application's record.
        Assert.NotEqual("root", host.User);
        var (_, home) = await host.RunAsync("printf '%s' \"$HOME\"", ct);
        Assert.StartsWith("/", home, StringComparison.Ordinal);
        var outDir = home + "/" + id + "-out";
        Assert.Equal(0, (await host.RunAsync($"mkdir -p {outDir}", ct)).Code);
        var uid = (await host.RunAsync("id -u", ct)).Output;
        Assert.NotEqual("0", uid);

        var (vm, _) = await RemoteAgentDeployment.InstallAsync(manager, id, outDir, home, host.User, host.KeyFile, host.Port, WorkflowTimeout);
        var agentDir = home + "/.stratus-agent/" + vm.Id;
        try
        {
            // Detection ran as the user: systemd was chosen because `sudo -n` works, and the unit was installed through it.
            var mainPid = await SystemdAgentChecks.AssertRunsInUnitAsync(manager, host, vm, outDir, ct);

            // The agent runs as the SSH user (not root), from the user's own files.
            Assert.Equal((0, uid), await host.RunAsync($"awk '/^Uid:/ {{print $2}}' /proc/{mainPid}/status", ct));
            Assert.Equal((0, $"600 {host.User}\n600 {host.User}"), await host.RunAsync($"stat -c '%a %U' {agentDir}/agent.env {agentDir}/agent.log", ct));

            await SystemdAgentChecks.UninstallAsync(manager, host, id, vm, agentDir, WorkflowTimeout, ct);
        }
        finally
        {
            await SystemdAgentChecks.RemoveUnitAsync(host, vm);
        }

        await SystemdAgentChecks.DeleteDeploymentAsync(manager, id, WorkflowTimeout, ct);
    }
}
