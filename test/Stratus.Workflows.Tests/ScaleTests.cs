using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class ScaleTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task Install_StartsEveryInstance_WhenDeploymentHasManyInstances()
    {
        const int count = 300;
        var store = new InMemoryStore();
        var web = Topology.Node("web", Topology.Operations(
            (Lc + "create", Topology.Script("scripts/c.sh")),
            (Lc + "configure", Topology.Script("scripts/f.sh")),
            (Lc + "start", Topology.Script("scripts/s.sh"))));
        var instances = Enumerable.Range(1, count).Select(i => Topology.Instance($"web_{i:D4}", "web")).ToList();
        await using var h = EngineHarness.With(store, [web], instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(count * 3, agent.Deliveries.Count);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }

    [Fact]
    public async Task Install_StartsEveryInstance_WhenThousandsOfNoOpInstancesFormChains()
    {
        const int count = 3_000;
        var store = new InMemoryStore();
        var nodes = new List<Node>();
        var instances = new List<NodeInstance>();
        for (var i = 0; i < count; i++)
        {
            var relationships = i >= 10
                ? new JsonArray(Topology.Relationship("cloudify.relationships.depends_on", $"n{i - 10}"))
                : [];
            nodes.Add(Topology.Node($"n{i}", Topology.Operations(), relationships));
            instances.Add(Topology.Instance($"n{i}_1", $"n{i}", relationships: i >= 10
                ? [Topology.InstanceRelationship("cloudify.relationships.depends_on", $"n{i - 10}", $"n{i - 10}_1")]
                : []));
        }

        await using var h = EngineHarness.With(store, nodes, instances);

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }
}
