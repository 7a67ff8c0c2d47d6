using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stratus.Agent.Installer;
using Stratus.Agent.Installer.Remote;
using Stratus.Agent.Tasks;

namespace Stratus.Agent.Tests;

public sealed class AgentInstallerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));

    private AgentInstaller Installer(TimeSpan timeout)
    {
        var options = Options.Create(new AgentOptions { Name = "cloudify.management", ProvidedAgentTimeout = timeout, ProvidedAgentPollInterval = TimeSpan.Zero });
        return new(options, new RemoteInstaller(options, new AgentPackage(options), _time, NullLogger<RemoteInstaller>.Instance), _time, NullLogger<AgentInstaller>.Instance);
    }

    private static JsonObject Kwargs(string method, string? name = null) => new()
    {
        ["cloudify_agent"] = new JsonObject { ["name"] = name, ["install_method"] = method },
    };

    [Fact]
    public async Task Create_WaitsForTheProvidedAgent_ThenBindsItAndRoutesTheHostToIt()
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm", new JsonObject { ["ip"] = "10.0.0.7" });
        var reads = 0;
        api.OnAgentRead = name =>
        {
            // The user starts the agent while the install waits: it comes up at the third look.
            if (++reads == 3)
            {
                api.Agents[name]["state"] = "started";
                api.Agents[name]["last_heartbeat"] = "2026-11-26T06:00:00.000Z";
            }
        };

        await Installer(TimeSpan.FromMinutes(5)).RunAsync(
            TestTasks.Context(taskName: AgentInstaller.CreateTask), Kwargs("provided", "agent-7"), api, Cancel);

        Assert.Equal(3, reads);
        Assert.Equal("vm_1", api.Agents["agent-7"]["node_instance_id"]!.GetValue<string>());
        var runtime = api.RuntimeProperties("vm_1");
        Assert.Equal("10.0.0.7", runtime["ip"]!.GetValue<string>());
        Assert.Equal("agent-7", runtime["cloudify_agent"]!["queue"]!.GetValue<string>());
        Assert.Equal("agent-7", runtime["cloudify_agent"]!["name"]!.GetValue<string>());
        Assert.Contains(api.LogTexts, t => t.StartsWith("Waiting up to 300 s for agent agent-7 to start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_NamesTheAgentAfterTheInstance_AndFailsClearly_WhenItNeverStarts()
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");
        api.OnAgentRead = _ => _time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<OperationException>(() => Installer(TimeSpan.FromSeconds(5)).RunAsync(
            TestTasks.Context(taskName: AgentInstaller.CreateTask), Kwargs("provided"), api, Cancel));

        Assert.Equal(Stratus.Contracts.Tasks.TaskError.NonRecoverable, error.Kind);
        Assert.Contains("Agent vm_1 of node instance vm_1 did not start within 5 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("stratus agent start --name vm_1", error.Message, StringComparison.Ordinal);
        Assert.Equal("creating", api.Agents["vm_1"]["state"]!.GetValue<string>());
        Assert.Null(api.RuntimeProperties("vm_1")["cloudify_agent"]);
    }

    [Fact]
    public async Task Create_TakesBackARunningAgentLeftDeleted_OnceItHeartbeatsAgain()
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");
        api.Agents["a1"] = new JsonObject { ["id"] = "a1", ["state"] = "deleted", ["node_instance_id"] = "vm_1", ["last_heartbeat"] = "2026-11-26T06:00:00.000Z" };
        var reads = 0;
        api.OnAgentRead = name =>
        {
            if (++reads == 2)
            {
                api.Agents[name]["last_heartbeat"] = "2026-11-26T06:00:10.000Z";
            }
        };

        await Installer(TimeSpan.FromMinutes(5)).RunAsync(TestTasks.Context(taskName: AgentInstaller.CreateTask), Kwargs("provided", "a1"), api, Cancel);

        Assert.Equal(2, reads);
        Assert.Equal("started", api.Agents["a1"]["state"]!.GetValue<string>());
        Assert.Equal("a1", api.RuntimeProperties("vm_1")["cloudify_agent"]!["queue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Remote_IsRefused_WhenTheManagerHasNoSharedBroker()
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");

        var error = await Assert.ThrowsAsync<OperationException>(() => Installer(TimeSpan.FromSeconds(5)).RunAsync(
            TestTasks.Context(taskName: AgentInstaller.CreateTask), Kwargs("remote"), api, Cancel));

        Assert.Equal(Stratus.Contracts.Tasks.TaskError.NonRecoverable, error.Kind);
        Assert.Contains("Node instance vm_1", error.Message, StringComparison.Ordinal);
        Assert.Contains("--broker-url", error.Message, StringComparison.Ordinal);
        Assert.Empty(api.Agents);
    }

    [Theory]
    [InlineData("plugin", "wagon")]
    [InlineData("init_script", "wagon")]
    public async Task Create_RefusesInstallMethodsItCannotDo_NamingTheNode(string method, string reason)
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");

        var error = await Assert.ThrowsAsync<OperationException>(() => Installer(TimeSpan.FromSeconds(5)).RunAsync(
            TestTasks.Context(taskName: AgentInstaller.CreateTask), Kwargs(method), api, Cancel));

        Assert.Equal(Stratus.Contracts.Tasks.TaskError.NonRecoverable, error.Kind);
        Assert.Contains("Node instance vm_1 of node 'vm'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{method}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(api.Agents);
    }

    [Fact]
    public async Task Delete_MarksTheAgentDeleted_AndStopAmqpStopsTheRunningAgentItself()
    {
        var api = new FakeManagerApi().AddInstance("vm_1", "vm");
        api.Agents["a1"] = new JsonObject { ["id"] = "a1", ["state"] = "started" };
        api.Agents["cloudify.management"] = new JsonObject { ["id"] = "cloudify.management", ["state"] = "started" };

        await Installer(TimeSpan.FromSeconds(5)).RunAsync(TestTasks.Context(taskName: AgentInstaller.StopAmqpTask), Kwargs("provided", "a1"), api, Cancel);
        await Installer(TimeSpan.FromSeconds(5)).RunAsync(TestTasks.Context(taskName: AgentInstaller.DeleteTask), Kwargs("provided", "a1"), api, Cancel);

        Assert.Equal("stopped", api.Agents["cloudify.management"]["state"]!.GetValue<string>());
        Assert.Equal("deleted", api.Agents["a1"]["state"]!.GetValue<string>());
    }
}
