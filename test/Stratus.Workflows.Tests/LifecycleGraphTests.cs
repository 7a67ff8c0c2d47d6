using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;
using Stratus.Workflows.Lifecycle;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class LifecycleGraphTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Rl = "cloudify.interfaces.relationship_lifecycle.";

    [Fact]
    public void Install_RunsEachInstanceInCloudifyOrder_WhenOperationsAreScripts()
    {
        var trace = Build(install: true);

        Assert.Equal(
            [
                "db_1 -> initializing",
                "db_1: Validating node instance before creation: nothing to do",
                "db_1: Precreating node instance: nothing to do",
                "db_1: Creating node instance",
                "db_1 -> creating",
                "db_1: " + Lc + "create",
                "db_1: Node instance created",
                "db_1 -> created",
                "db_1 -> configuring",
                "db_1: Configuring node instance",
                "db_1: " + Lc + "configure",
                "db_1 -> configured",
                "db_1: Node instance configured",
                "db_1 -> starting",
                "db_1: Starting node instance",
                "db_1: " + Lc + "start",
                "db_1: Poststarting node instance: nothing to do",
                "db_1 -> started",
                "db_1: Node instance started",
            ],
            trace.Where(t => t.StartsWith("db_1", StringComparison.Ordinal) && !t.Contains(Rl, StringComparison.Ordinal)));
    }

    [Fact]
    public void Install_RunsRelationshipOperationsInTheirPhases_WhenSourceAndTargetDeclareThem()
    {
        var trace = Build(install: true);
        var app = trace.Where(t => t.StartsWith("app_1", StringComparison.Ordinal) || t.Contains(Rl, StringComparison.Ordinal)).ToList();

        Assert.Equal(
            [
                "app_1 -> initializing",
                "app_1: Validating node instance before creation: nothing to do",
                "app_1: Precreating node instance: nothing to do",
                "app_1: Creating node instance",
                "app_1 -> creating",
                "app_1: " + Lc + "create",
                "app_1: Node instance created",
                "app_1 -> created",
                "app_1: Pre-configuring relationships",
                "app_1: " + Rl + "preconfigure",
                "app_1: Relationships pre-configured",
                "app_1 -> configuring",
                "app_1: Configuring node instance",
                "app_1: " + Lc + "configure",
                "app_1 -> configured",
                "app_1: Node instance configured",
                "app_1 -> starting",
                "app_1: Starting node instance",
                "app_1: " + Lc + "start",
                "app_1: Poststarting node instance: nothing to do",
                "app_1: Establishing relationships",
                "db_1: " + Rl + "establish",
                "app_1: Relationships established",
                "app_1 -> started",
                "app_1: Node instance started",
            ],
            app);
    }

    [Fact]
    public void Install_StartsSourceOnlyAfterItsTargetsStarted_WhenRelated()
    {
        var trace = Build(install: true).ToList();

        var appFirst = trace.FindIndex(t => t.StartsWith("app_1", StringComparison.Ordinal));
        Assert.True(trace.IndexOf("db_1: Node instance started") < appFirst, string.Join('\n', trace));
        Assert.True(trace.IndexOf("host_1: Node instance started") < appFirst, string.Join('\n', trace));
    }

    [Fact]
    public void Uninstall_StopsSourcesBeforeTargetsInCloudifyOrder_WhenInstalled()
    {
        var trace = Build(install: false, state: NodeInstanceState.Started).ToList();

        var appLast = trace.FindLastIndex(t => t.StartsWith("app_1", StringComparison.Ordinal));
        Assert.True(appLast < trace.IndexOf("db_1 -> stopping"), string.Join('\n', trace));
        Assert.True(appLast < trace.IndexOf("host_1 -> stopping"), string.Join('\n', trace));
        Assert.Equal(
            [
                "app_1 -> stopping",
                "app_1: Stopping node instance",
                "app_1: Validating node instance after deletion: nothing to do",
                "app_1: " + Lc + "stop",
                "app_1: Stopped node instance",
                "app_1 -> stopped",
                "app_1: Unlinking relationships",
                "app_1: " + Rl + "unlink",
                "app_1: Relationships unlinked",
                "app_1 -> deleting",
                "app_1: Deleting node instance",
                "app_1: " + Lc + "delete",
                "app_1 -> deleted",
                "app_1: Deleted node instance",
            ],
            trace.Where(t => t.StartsWith("app_1", StringComparison.Ordinal)));
    }

    [Fact]
    public void Install_SkipsNoOpsWithNothingToDoEvents_WhenNodeHasNoOperations()
    {
        var node = Topology.Node("empty", Topology.Operations());
        var instance = Topology.Instance("empty_1", "empty");

        var tasks = BuildTasks([node], [instance], install: true);

        Assert.DoesNotContain(tasks, t => t.Type == TaskTypes.Remote);
        Assert.Equal(["empty_1 -> started", "empty_1: Node instance started (nothing to do)"], GraphSimulator.Run(tasks));
    }

    [Fact]
    public void Uninstall_SaysStopAlreadyDone_WhenInstanceNeverInstalled()
    {
        var (nodes, _) = Topology.ThreeTier();
        var instance = Topology.Instance("db_1", "db");

        var trace = GraphSimulator.Run(BuildTasks(nodes, [instance], install: false));

        Assert.Equal(
            [
                "db_1: Validating node instance after deletion: nothing to do",
                "db_1: Stop: instance already uninitialized",
                "db_1 -> stopped",
                "db_1: Delete: instance already uninitialized",
                "db_1 -> deleted",
                "db_1: Deleted node instance",
            ],
            trace);
    }

    [Fact]
    public void Install_BuildsOnlySelectedInstances_WhenNodeIdsGiven()
    {
        var (nodes, instances) = Topology.ThreeTier();

        var tasks = BuildTasks(nodes, instances, install: true, new JsonObject { ["node_ids"] = new JsonArray("db") });

        Assert.All(tasks.Where(t => t.Type != TaskTypes.Subgraph), t => Assert.Equal("db_1", t.NodeInstanceId));
    }

    [Fact]
    public void Install_CarriesOperationSettingsIntoTheTask_WhenOperationDeclaresRetries()
    {
        var node = Topology.Node("n", Topology.Operations((Lc + "create", Topology.Script("scripts/c.sh", maxRetries: 2, retryInterval: 7))));
        var tasks = BuildTasks([node], [Topology.Instance("n_1", "n")], install: true);

        var create = Assert.Single(tasks, t => t.Type == TaskTypes.Remote);
        Assert.Equal("script_runner.tasks.run", create.Name);
        Assert.Equal(2, create.TotalRetries);
        Assert.Equal(7, create.RetryInterval);
        Assert.Equal("scripts/c.sh", create.OperationInputs["script_path"]!.GetValue<string>());
        Assert.Equal(Lc + "create", create.OperationName);
    }

    [Fact]
    public void GraphTask_SurvivesStoreRoundTrip_WhenSavedAndRestored()
    {
        var (nodes, instances) = Topology.ThreeTier();
        var tasks = BuildTasks(nodes, instances, install: true);

        var restored = tasks
            .Select(t => GraphTask.FromRecord(t.ToRecord("g", Topology.Tenant, "m", DateTimeOffset.UnixEpoch)))
            .ToList();

        Assert.Equal(GraphSimulator.Run(tasks), GraphSimulator.Run(restored));
        Assert.Equal(tasks.Select(t => t.ShortDescription), restored.Select(t => t.ShortDescription));
    }

    [Fact]
    public void Uninstall_MarksEveryOperationToIgnoreFailure_WhenIgnoreFailureGivenAndSurvivesStore()
    {
        var (nodes, instances) = Topology.ThreeTier();
        var tasks = BuildTasks(nodes, [.. instances.Select(i => i with { State = NodeInstanceState.Started })], install: false,
            new JsonObject { ["ignore_failure"] = true });

        var restored = tasks.Select(t => GraphTask.FromRecord(t.ToRecord("g", Topology.Tenant, "m", DateTimeOffset.UnixEpoch))).ToList();

        Assert.All(restored.Where(t => t.Type == TaskTypes.Remote), t => Assert.True(t.IgnoreFailure, t.ShortDescription));
        Assert.All(restored.Where(t => t.Type != TaskTypes.Remote), t => Assert.False(t.IgnoreFailure, t.Name));
    }

    private static IReadOnlyList<string> Build(bool install, string state = NodeInstanceState.Uninitialized)
    {
        var (nodes, instances) = Topology.ThreeTier();
        return GraphSimulator.Run(BuildTasks(nodes, [.. instances.Select(i => i with { State = state })], install));
    }

    internal static IReadOnlyList<GraphTask> BuildTasks(
        IReadOnlyList<Core.Model.Node> nodes, IReadOnlyList<NodeInstance> instances, bool install, JsonObject? parameters = null)
    {
        var identity = new WorkflowIdentity { ExecutionId = "e", WorkflowId = install ? "install" : "uninstall", TenantName = Topology.Tenant };
        var factory = new OperationTaskFactory(identity, 60, 15);
        var builder = new GraphBuilder(() => Guid.NewGuid().ToString());
        var model = new DeploymentModel(nodes, instances);
        return install
            ? LifecycleGraph.Install(builder, factory, model, parameters ?? [])
            : LifecycleGraph.Uninstall(builder, factory, model, parameters ?? []);
    }
}
