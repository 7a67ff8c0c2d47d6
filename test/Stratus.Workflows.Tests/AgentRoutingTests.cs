using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// Cloudify's routing: host_agent (and auto) operations of instances on a Compute host go to the host's agent queue
/// once its agent is created; the rest to the manager's own agent. A host agent that stops heartbeating while it
/// holds an operation makes that operation fail as recoverable (retried, or failed when out of retries).
/// </summary>
public sealed class AgentRoutingTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string AgentCreate = "cloudify.interfaces.cloudify_agent.create";

    internal static (IReadOnlyList<Node>, IReadOnlyList<NodeInstance>) ProvidedHost(string installMethod = "provided", int? appRetries = 2, int apps = 1)
    {
        JsonObject AgentOp(string operation, string executor) => new()
        {
            ["plugin"] = "agent",
            ["operation"] = operation,
            ["executor"] = executor,
            ["inputs"] = new JsonObject(),
            ["has_intrinsic_functions"] = false,
            ["max_retries"] = 0,
            ["retry_interval"] = 0,
        };

        var hostOps = Topology.Operations((Lc + "create", Topology.Script("scripts/vm.sh") is var s ? Executor(s, "central_deployment_agent") : null!));
        hostOps[AgentCreate] = AgentOp("cloudify_agent.installer.operations.create", "central_deployment_agent");
        hostOps["cloudify.interfaces.cloudify_agent.stop_amqp"] = AgentOp("cloudify_agent.operations.stop", "host_agent");
        hostOps["cloudify.interfaces.cloudify_agent.delete"] = AgentOp("cloudify_agent.installer.operations.delete", "central_deployment_agent");
        var host = Topology.Node("vm", hostOps, hostId: "vm") with
        {
            Type = "cloudify.nodes.Compute",
            TypeHierarchy = ["cloudify.nodes.Root", "cloudify.nodes.Compute"],
            Properties = new JsonObject { ["agent_config"] = new JsonObject { ["install_method"] = installMethod } },
        };
        var app = Topology.Node(
            "app",
            Topology.Operations(
                (Lc + "create", Topology.Script("scripts/app.sh", maxRetries: appRetries, retryInterval: 0)),
                (Lc + "configure", Executor(Topology.Script("scripts/conf.sh"), "central_deployment_agent"))),
            [Topology.Relationship("cloudify.relationships.contained_in", "vm")],
            hostId: "vm");
        return (
            [host, app],
            [
                Topology.Instance("vm_1", "vm", hostId: "vm_1"),
                .. Enumerable.Range(1, apps).Select(i => Topology.Instance(
                    $"app_{i}", "app", hostId: "vm_1", relationships: [Topology.InstanceRelationship("cloudify.relationships.contained_in", "vm", "vm_1")])),
            ]);
    }

    private static JsonObject Executor(JsonObject op, string executor)
    {
        op["executor"] = executor;
        return op;
    }

    /// <summary>The manager's agent: runs the agent create as Cloudify's does, recording the agent in the host's runtime properties.</summary>
    internal static Func<Delivery, TaskResponse?> ManagerAgent(EngineHarness h) => d =>
    {
        if (d.Operation == AgentCreate)
        {
            var name = d.Kwargs["cloudify_agent"]!["name"]!.GetValue<string>();
            h.Store.UpdateNodeInstanceAsync(
                Topology.Tenant,
                d.NodeInstanceId,
                new NodeInstanceUpdate { RuntimeProperties = new JsonObject { ["cloudify_agent"] = new JsonObject { ["name"] = name, ["queue"] = name } } },
                null).GetAwaiter().GetResult();
        }

        return FakeAgent.Success();
    };

    [Fact]
    public async Task Install_SendsHostedOperationsToTheHostsAgent_AndTheOthersToTheManager()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = ProvidedHost();
        await using var h = EngineHarness.With(store, nodes, instances);
        await using var manager = await FakeAgent.StartAsync(h.Broker, ManagerAgent(h));
        await using var hostAgent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success(), target: "vm_1");
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(["app_1:" + Lc + "create"], hostAgent.Order);
        Assert.Equal(["vm_1:" + Lc + "create", "vm_1:" + AgentCreate, "app_1:" + Lc + "configure"], manager.Order);
        var create = manager.Deliveries.Single(d => d.Operation == AgentCreate);
        Assert.Equal("vm_1", create.Kwargs["cloudify_agent"]!["name"]!.GetValue<string>());
        Assert.Equal("provided", create.Kwargs["cloudify_agent"]!["install_method"]!.GetValue<string>());
        var app = hostAgent.Deliveries.Single();
        Assert.Equal(("vm_1", "vm_1_operation"), (app.Context["task_target"]!.GetValue<string>(), app.Context["task_queue"]!.GetValue<string>()));
        var events = (await h.NodeEventsOfAsync(start.ExecutionId)).ToList();
        var creating = events.IndexOf("vm_1: Creating agent");
        Assert.True(creating >= 0 && creating < events.IndexOf("vm_1: Agent created"), string.Join('\n', events));
    }

    [Fact]
    public async Task Install_RunsTheHostsOperationsOnTheManager_WhenInstallMethodIsNone()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = ProvidedHost(installMethod: "none");
        await using var h = EngineHarness.With(store, nodes, instances);
        await using var manager = await FakeAgent.StartAsync(h.Broker, ManagerAgent(h));

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(["vm_1:" + Lc + "create", "app_1:" + Lc + "create", "app_1:" + Lc + "configure"], manager.Order);
    }

    [Fact]
    public async Task SilentHostAgent_HoldingAnOperation_IsRetriedThenSucceeds()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = ProvidedHost();
        await using var h = EngineHarness.With(store, nodes, instances);
        await store.PutAgentAsync(NewAgent(h), TestContext.Current.CancellationToken);
        await using var manager = await FakeAgent.StartAsync(h.Broker, ManagerAgent(h));
        // The first attempt is held (the agent died with it); the retry is answered.
        await using var hostAgent = await FakeAgent.StartAsync(h.Broker, d => d.RetryNumber == 0 ? null : FakeAgent.Success(), target: "vm_1");
        var start = await h.CreateExecutionAsync("install");
        var held = hostAgent.WhenReceived("app_1:" + Lc + "create");
        var failed = store.WhenEvent(e => e.EventType == "task_failed" && e.NodeInstanceId == "app_1");

        var run = h.RunAsync(start);
        await held.Within("app_1 create to reach the host agent");
        h.Time.Advance(h.Options.AgentHeartbeatTimeout + TimeSpan.FromSeconds(1));
        var failure = await failed.Within("the silent agent's operation to fail as recoverable");
        var execution = await run;

        Assert.Contains("Timed out waiting for agent vm_1: no heartbeat since 2026-11-26T06:00:00.000Z", failure.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal([0, 1], hostAgent.Deliveries.Select(d => d.RetryNumber));
    }

    [Fact]
    public async Task SilentHostAgent_FailsTheExecution_WhenTheOperationHasNoRetriesLeft()
    {
        var store = new InMemoryStore();
        var (nodes, instances) = ProvidedHost(appRetries: 0);
        await using var h = EngineHarness.With(store, nodes, instances);
        h.Options.WaitAfterFail = TimeSpan.Zero;
        await store.PutAgentAsync(NewAgent(h), TestContext.Current.CancellationToken);
        await using var manager = await FakeAgent.StartAsync(h.Broker, ManagerAgent(h));
        await using var hostAgent = await FakeAgent.StartAsync(h.Broker, _ => null, target: "vm_1");
        var start = await h.CreateExecutionAsync("install");
        var held = hostAgent.WhenReceived("app_1:" + Lc + "create");

        var run = h.RunAsync(start);
        await held.Within("app_1 create to reach the host agent");
        h.Time.Advance(h.Options.AgentHeartbeatTimeout + TimeSpan.FromSeconds(1));
        var execution = await run;

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("Timed out waiting for agent vm_1", execution.Error, StringComparison.Ordinal);
        Assert.Single(hostAgent.Deliveries);
    }

    private static AgentRecord NewAgent(EngineHarness h) => new()
    {
        Name = "vm_1",
        TenantName = Topology.Tenant,
        CreatedBy = "admin",
        InstallMethod = "provided",
        RabbitMqExchange = "vm_1",
        State = AgentState.Started,
        CreatedAt = h.Time.GetUtcNow(),
        LastHeartbeat = h.Time.GetUtcNow(),
    };
}
