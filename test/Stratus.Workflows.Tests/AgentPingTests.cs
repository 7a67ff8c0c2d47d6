using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// Cloudify's ping before an operation goes to a host agent: no answer within the ping timeout fails the operation as
/// recoverable ("Timed out waiting for agent"), retried by the normal rules; one answer covers a burst of operations.
/// </summary>
public sealed class AgentPingTests
{
    private const string Create = "cloudify.interfaces.lifecycle.create";

    [Fact]
    public async Task UnansweredPing_FailsTheOperationAsRecoverable_AndTheRetryGoesOutOnceTheAgentAnswers()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = AgentRoutingTests.ProvidedHost();
        await using var h = EngineHarness.With(store, nodes, instances);
        await using var manager = await FakeAgent.StartAsync(h.Broker, AgentRoutingTests.ManagerAgent(h));
        await using var hostAgent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success(), target: "vm_1");
        hostAgent.AnswersPings = false;
        var start = await h.CreateExecutionAsync("install");
        var firstPing = hostAgent.WhenPinged(1);
        var failed = store.WhenEvent(e => e.EventType == "task_failed" && e.NodeInstanceId == "app_1");

        var run = h.RunAsync(start);
        await firstPing.Within("the ping before app_1 create");
        Assert.Empty(hostAgent.Deliveries);
        hostAgent.AnswersPings = true;
        h.Time.Advance(h.Options.AgentPingTimeout);
        var failure = await failed.Within("app_1 create to fail after the unanswered ping");
        var execution = await run;

        Assert.Contains("Timed out waiting for agent vm_1 (ping: no answer; timeout 30 s)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(["app_1:" + Create], hostAgent.Order);
        Assert.Equal(1, hostAgent.Deliveries.Single().RetryNumber);
        Assert.Equal(2, hostAgent.Pings);
    }

    [Fact]
    public async Task OperationsToOneAgent_ShareOnePing()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = AgentRoutingTests.ProvidedHost(apps: 5);
        await using var h = EngineHarness.With(store, nodes, instances);
        await using var manager = await FakeAgent.StartAsync(h.Broker, AgentRoutingTests.ManagerAgent(h));
        await using var hostAgent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success(), target: "vm_1");

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(5, hostAgent.Deliveries.Count);
        Assert.Equal(1, hostAgent.Pings);
    }

    [Fact]
    public async Task NoPing_WhenThePingTimeoutIsZero()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = AgentRoutingTests.ProvidedHost();
        await using var h = EngineHarness.With(store, nodes, instances);
        h.Options.AgentPingTimeout = TimeSpan.Zero;
        await using var manager = await FakeAgent.StartAsync(h.Broker, AgentRoutingTests.ManagerAgent(h));
        await using var hostAgent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success(), target: "vm_1");
        hostAgent.AnswersPings = false;

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(0, hostAgent.Pings);
        Assert.Single(hostAgent.Deliveries);
    }
}
