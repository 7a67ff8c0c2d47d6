using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stratus.Agent.Installer;
using Stratus.Agent.Installer.Remote;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

/// <summary>The remote installer against a closed port and against the private sshd (host key pinning, trust on first use).</summary>
public sealed class RemoteInstallerTests
{
    private const string Secret = "not-the-real-password-7d1f";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static AgentInstaller Installer(TimeProvider time)
    {
        var agent = new AgentOptions { Name = "cloudify.management", ProvidedAgentPollInterval = TimeSpan.Zero };
        agent.Remote.BrokerUrl = "amqp://guest:guest@127.0.0.1:5672/";
        agent.Remote.ManagerUrls.Add(new Uri("http://127.0.0.1:1/"));
        agent.Remote.ConnectTimeout = TimeSpan.FromSeconds(5);
        var options = Options.Create(agent);
        return new(options, new RemoteInstaller(options, new AgentPackage(options), time, NullLogger<RemoteInstaller>.Instance), time, NullLogger<AgentInstaller>.Instance);
    }

    private static JsonObject Kwargs(string method, JsonObject hostProperties, long waitTimeout = 30) => new()
    {
        ["cloudify_agent"] = new JsonObject { ["name"] = "vm_1", ["install_method"] = method, ["wait_timeout"] = waitTimeout },
        [RemoteInstaller.HostPropertiesKwarg] = hostProperties.DeepClone(),
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Create_RetriesAnUnreachableHostUntilTheWaitTimeout_ThenFailsNamingInstanceHostAndUserButNotThePassword()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromSeconds(4) };
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");
        var port = ClosedPort();
        var host = new JsonObject { ["ip"] = "127.0.0.1", ["agent_config"] = new JsonObject { ["user"] = "deployer", ["password"] = Secret, ["port"] = port } };

        var error = await Assert.ThrowsAsync<OperationException>(
            () => Installer(time).RunAsync(TestTasks.Context(taskName: AgentInstaller.CreateTask), Kwargs("remote", host), api, Cancel));

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Contains("Node instance vm_1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"as deployer on 127.0.0.1:{port} within 30 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.Contains(api.LogTexts, t => t.Contains("retrying", StringComparison.Ordinal));
        Assert.DoesNotContain(api.LogTexts, t => t.Contains(Secret, StringComparison.Ordinal));
        Assert.Equal(("creating", "remote", "127.0.0.1"), (
            api.Agents["vm_1"]["state"]!.GetValue<string>(), api.Agents["vm_1"]["install_method"]!.GetValue<string>(), api.Agents["vm_1"]["ip"]!.GetValue<string>()));
        Assert.Null(api.RuntimeProperties("vm_1")["cloudify_agent"]);
    }

    [Fact]
    public async Task Session_TrustsOnFirstUse_ConnectsWithTheRecordedKey_AndRefusesAnyOther()
    {
        var sshd = SshTestHost.Require();
        RemoteAgentConfig Config(string? expected) => new()
        {
            Name = "vm_1", InstanceId = "vm_1", Host = sshd.Host, Port = sshd.Port, User = sshd.User,
            Key = File.ReadAllText(sshd.KeyFile), ExpectedFingerprint = expected,
        };

        string first;
        using (var session = await RemoteSession.ConnectAsync(Config(null), TimeSpan.FromSeconds(20), Cancel))
        {
            first = session.Fingerprint;
        }

        using var again = await RemoteSession.ConnectAsync(Config(first), TimeSpan.FromSeconds(20), Cancel);
        var whoami = await again.RunAsync("id -un", TimeSpan.FromSeconds(20), Cancel);
        var refused = await Assert.ThrowsAsync<OperationException>(
            () => RemoteSession.ConnectAsync(Config("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), TimeSpan.FromSeconds(20), Cancel));

        Assert.StartsWith("SHA256:", first, StringComparison.Ordinal);
        Assert.Equal(sshd.User, whoami.Output.Trim());
        Assert.Equal(TaskError.NonRecoverable, refused.Kind);
        Assert.Contains($"is {first}, but SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA was recorded or pinned", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_RefusesAHostWhoseKeyChangedSinceInstall_NamingTheRecordedKey()
    {
        var sshd = SshTestHost.Require();
        const string recorded = "SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
        var api = new FakeManagerApi().AddInstance("vm_1", "vm", new JsonObject
        {
            ["cloudify_agent"] = new JsonObject
            {
                ["name"] = "vm_1", ["install_dir"] = "/nonexistent/.stratus-agent/vm_1", [RemoteAgentConfig.FingerprintKey] = recorded,
                ["process_management"] = new JsonObject { ["name"] = "detach" },
            },
        });
        api.Agents["vm_1"] = new JsonObject { ["id"] = "vm_1", ["state"] = "started" };
        var host = new JsonObject
        {
            ["ip"] = sshd.Host,
            ["agent_config"] = new JsonObject { ["user"] = sshd.User, ["key"] = sshd.KeyFile, ["port"] = sshd.Port },
        };

        var error = await Assert.ThrowsAsync<OperationException>(
            () => Installer(TimeProvider.System).RunAsync(TestTasks.Context(taskName: AgentInstaller.StopTask), Kwargs("remote", host), api, Cancel));

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Contains($"but {recorded} was recorded or pinned", error.Message, StringComparison.Ordinal);
        Assert.Contains("vm_1", error.Message, StringComparison.Ordinal);
        Assert.NotEqual("stopped", api.Agents["vm_1"]["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task StopAndDelete_AfterAFailedInstall_OnlyUpdateTheRecord_WithoutNeedingTheHost()
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");
        api.Agents["vm_1"] = new JsonObject { ["id"] = "vm_1", ["state"] = "creating" };
        var states = new List<string>();
        var host = new JsonObject { ["ip"] = "127.0.0.1", ["agent_config"] = new JsonObject() };
        var installer = Installer(TimeProvider.System);

        await installer.RunAsync(TestTasks.Context(taskName: AgentInstaller.StopTask), Kwargs("remote", host), api, Cancel);
        states.Add(api.Agents["vm_1"]["state"]!.GetValue<string>());
        await installer.RunAsync(TestTasks.Context(taskName: AgentInstaller.DeleteTask), Kwargs("remote", host), api, Cancel);
        states.Add(api.Agents["vm_1"]["state"]!.GetValue<string>());

        Assert.Equal(["stopped", "deleted"], states);
    }
}
