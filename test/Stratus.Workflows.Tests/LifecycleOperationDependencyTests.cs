using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// <c>cloudify.relationships.depends_on_lifecycle_operation</c> (lifecycle.py <c>_handle_dependency_creation</c>): the
/// source's install subgraph waits only for the tasks that follow the target's named lifecycle operation, not for the
/// target's whole install; when that operation is a no-op there is nothing to wait for.
/// </summary>
public sealed class LifecycleOperationDependencyTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Type = "cloudify.relationships.depends_on_lifecycle_operation";

    private static (IReadOnlyList<Node>, IReadOnlyList<NodeInstance>) Deployment(string operation)
    {
        var db = Topology.Node("db", Topology.Operations(
            (Lc + "create", Topology.Script("c.sh")), (Lc + "configure", Topology.Script("f.sh")), (Lc + "start", Topology.Script("s.sh"))));
        var relationship = Topology.Relationship(Type, "db");
        relationship["properties"] = new JsonObject { ["operation"] = operation };
        var app = Topology.Node("app", Topology.Operations((Lc + "create", Topology.Script("a.sh"))), [relationship]);
        return ([db, app], [Topology.Instance("db_1", "db"), Topology.Instance("app_1", "app", relationships: [Topology.InstanceRelationship(Type, "db", "db_1")])]);
    }

    [Fact]
    public async Task Install_StartsTheSourceRightAfterTheTargetsNamedOperation_WhenDependsOnLifecycleOperation()
    {
        var (nodes, instances) = Deployment("create");
        await using var h = EngineHarness.With(new InMemoryStore(), nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "db_1:" + Lc + "configure" ? null : FakeAgent.Success());
        var configure = agent.WhenReceived("db_1:" + Lc + "configure");
        var appCreate = agent.WhenReceived("app_1:" + Lc + "create");

        var run = h.RunAsync(await h.CreateExecutionAsync("install"));
        var held = await configure.Within("db_1 configure to be sent (and held)");
        await appCreate.Within("app_1 create to be sent while db_1 is still configuring");
        Assert.DoesNotContain("db_1:" + Lc + "start", agent.Order);
        await agent.ReplyAsync(held, FakeAgent.Success());

        Assert.Equal(ExecutionStatus.Terminated, (await run).Status);
        var order = agent.Order.ToList();
        Assert.True(order.IndexOf("db_1:" + Lc + "create") < order.IndexOf("app_1:" + Lc + "create"), string.Join('\n', order));
    }

    [Fact]
    public async Task Install_StartsTheSourceAfterTheTargetsStart_WhenTheNamedOperationIsStart()
    {
        var (nodes, instances) = Deployment("start");
        await using var h = EngineHarness.With(new InMemoryStore(), nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        Assert.Equal(ExecutionStatus.Terminated, (await h.RunAsync(await h.CreateExecutionAsync("install"))).Status);

        var order = agent.Order.ToList();
        Assert.True(order.IndexOf("db_1:" + Lc + "start") < order.IndexOf("app_1:" + Lc + "create"), string.Join('\n', order));
    }
}
