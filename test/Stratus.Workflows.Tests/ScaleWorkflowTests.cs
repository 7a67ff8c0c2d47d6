using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// The scale workflow on SQLite: host, db, and app contained in host and connected to every db (source unlink, target
/// establish). Scale-out installs the added instances and establishes intact ones to them, scale-in uninstalls the
/// removed ones and unlinks, a failure rolls back, a scaling group scales its members together, a crash resumes.
/// </summary>
public sealed class ScaleWorkflowTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Rl = "cloudify.interfaces.relationship_lifecycle.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (List<Node> Nodes, List<NodeInstance> Instances) Deployment(int dbs, bool hostInGroup = false)
    {
        var host = Topology.Node("host", Topology.Operations((Lc + "create", Topology.Script("scripts/host_create.sh"))));
        var db = Topology.Node("db", Topology.Operations(
            (Lc + "create", Topology.Script("scripts/db_create.sh")),
            (Lc + "start", Topology.Script("scripts/db_start.sh")),
            (Lc + "stop", Topology.Script("scripts/db_stop.sh")),
            (Lc + "delete", Topology.Script("scripts/db_delete.sh")))) with { NumberOfInstances = dbs, PlannedNumberOfInstances = dbs };
        var connected = Topology.Relationship(
            "cloudify.relationships.connected_to",
            "db",
            sourceOps: new JsonObject { [Rl + "unlink"] = Topology.Script("scripts/unlink.sh") },
            targetOps: new JsonObject { [Rl + "establish"] = Topology.Script("scripts/establish.sh") });
        connected["properties"] = new JsonObject { ["connection_type"] = "all_to_all" };
        var app = Topology.Node(
            "app",
            Topology.Operations((Lc + "create", Topology.Script("scripts/app_create.sh"))),
            [Topology.Relationship("cloudify.relationships.contained_in", "host"), connected]);
        var dbInstances = Enumerable.Range(1, dbs).Select(i => Topology.Instance($"db_{i}", "db", state: NodeInstanceState.Started)).ToList();
        var hostInstance = Topology.Instance("host_1", "host", state: NodeInstanceState.Started) with
        {
            ScalingGroups = hostInGroup ? [new JsonObject { ["name"] = "g", ["id"] = "g_1" }] : [],
        };
        var appInstance = Topology.Instance(
            "app_1",
            "app",
            state: NodeInstanceState.Started,
            relationships: [
                Topology.InstanceRelationship("cloudify.relationships.contained_in", "host", "host_1"),
                .. dbInstances.Select(d => Topology.InstanceRelationship("cloudify.relationships.connected_to", "db", d.Id)),
            ]);
        return ([host, db, app], [hostInstance, .. dbInstances, appInstance]);
    }

    private static Task<EngineHarness> HarnessAsync(int dbs, bool hostInGroup = false)
    {
        var (nodes, instances) = Deployment(dbs, hostInGroup);
        return EngineHarness.SqliteAsync(nodes, instances, d => hostInGroup
            ? d with
            {
                ScalingGroups = new JsonObject
                {
                    ["g"] = new JsonObject
                    {
                        ["members"] = new JsonArray("host"),
                        ["properties"] = new JsonObject
                        {
                            ["current_instances"] = 1, ["planned_instances"] = 1, ["default_instances"] = 1, ["min_instances"] = 0, ["max_instances"] = -1,
                        },
                    },
                },
            }
            : d);
    }

    private static JsonObject Scale(string entity, JsonNode delta, params (string Key, JsonNode? Value)[] more)
    {
        var p = new JsonObject { ["scalable_entity_name"] = entity, ["delta"] = delta };
        foreach (var (key, value) in more)
        {
            p[key] = value;
        }

        return p;
    }

    private static async Task<IReadOnlyList<DeploymentModification>> ModificationsAsync(EngineHarness h) =>
        (await h.Store.ListDeploymentModificationsAsync(Topology.Tenant, ListQuery.All, Token)).Items;

    private static async Task<Node> NodeAsync(EngineHarness h, string id) => (await h.Store.GetNodeAsync(Topology.Tenant, Topology.DeploymentId, id, Token))!;

    [Fact]
    public async Task ScaleOut_InstallsTheNewDb_AndEstablishesTheIntactAppToIt()
    {
        await using var h = await HarnessAsync(dbs: 1);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("scale", Scale("db", 1)));

        Assert.True(execution.Status == ExecutionStatus.Terminated, execution.Error);
        var states = await h.InstanceStatesAsync();
        var added = Assert.Single(states.Keys, k => k.StartsWith("db_", StringComparison.Ordinal) && k != "db_1");
        Assert.Matches("^db_[a-z0-9]{6}$", added);
        Assert.Equal(NodeInstanceState.Started, states[added]);
        Assert.Equal([added + ":" + Lc + "create", added + ":" + Lc + "start", added + ":" + Rl + "establish"], agent.Order);
        var app = await h.InstanceAsync("app_1");
        Assert.Equal(["host_1", "db_1", added], app.Relationships.Select(r => r!["target_id"]!.GetValue<string>()));
        var modification = Assert.Single(await ModificationsAsync(h));
        Assert.Equal((DeploymentModificationStatus.Finished, execution.Id), (modification.Status, modification.Context["execution_id"]!.GetValue<string>()));
        var db = await NodeAsync(h, "db");
        Assert.Equal((2, 2), (db.NumberOfInstances, db.PlannedNumberOfInstances));
        Assert.Contains(await h.EventsOfAsync(execution.Id), e => e.Message == $"Deployment modification started. [modification_id={modification.Id}]");
    }

    [Fact]
    public async Task ScaleIn_UninstallsTheUnexcludedDb_UnlinksTheAppAndDeletesIt()
    {
        await using var h = await HarnessAsync(dbs: 2);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("scale", Scale("db", -1, ("exclude_instances", "db_2"))));

        Assert.True(execution.Status == ExecutionStatus.Terminated, execution.Error);
        Assert.Equal(["app_1:" + Rl + "unlink", "db_1:" + Lc + "stop", "db_1:" + Lc + "delete"], agent.Order);
        Assert.DoesNotContain("db_1", (await h.InstanceStatesAsync()).Keys);
        Assert.Equal(["host_1", "db_2"], (await h.InstanceAsync("app_1")).Relationships.Select(r => r!["target_id"]!.GetValue<string>()));
        Assert.Equal(1, (await NodeAsync(h, "db")).NumberOfInstances);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ScaleOut_RollsTheNewDbBack_WhenItsCreateFails_UnlessToldNotTo(bool rollback)
    {
        await using var h = await HarnessAsync(dbs: 1);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key.EndsWith(":" + Lc + "create", StringComparison.Ordinal) ? FakeAgent.Failure(TaskError.NonRecoverable, "no disk") : FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("scale", Scale("db", 1, ("rollback_if_failed", rollback))));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("no disk", execution.Error, StringComparison.Ordinal);
        var modification = Assert.Single(await ModificationsAsync(h));
        var db = await NodeAsync(h, "db");
        var logs = (await h.EventsOfAsync(execution.Id)).Select(e => e.Message).ToList();
        if (rollback)
        {
            Assert.Equal(DeploymentModificationStatus.RolledBack, modification.Status);
            Assert.Equal(["db_1"], (await h.InstanceStatesAsync()).Keys.Where(k => k.StartsWith("db_", StringComparison.Ordinal)));
            Assert.Equal(["host_1", "db_1"], (await h.InstanceAsync("app_1")).Relationships.Select(r => r!["target_id"]!.GetValue<string>()));
            Assert.Equal((1, 1), (db.NumberOfInstances, db.PlannedNumberOfInstances));
            Assert.Contains("Scale out failed, scaling back in.", logs);
            Assert.Contains($"Rolling back deployment modification. [modification_id={modification.Id}]", logs);
        }
        else
        {
            Assert.Equal(DeploymentModificationStatus.Started, modification.Status);
            Assert.Equal(2, (await h.InstanceStatesAsync()).Keys.Count(k => k.StartsWith("db_", StringComparison.Ordinal)));
            Assert.Equal((1, 2), (db.NumberOfInstances, db.PlannedNumberOfInstances));
            Assert.Contains("Scale out failed.", logs);
        }
    }

    [Fact]
    public async Task ScaleOut_OfAGroup_InstallsANewHostWithItsContainedApp()
    {
        await using var h = await HarnessAsync(dbs: 1, hostInGroup: true);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("scale", Scale("g", 1)));

        Assert.True(execution.Status == ExecutionStatus.Terminated, execution.Error);
        var instances = (await h.Store.ListNodeInstancesAsync(Topology.Tenant, ListQuery.All, Token)).Items;
        var host = Assert.Single(instances, i => i.NodeId == "host" && i.Id != "host_1");
        var app = Assert.Single(instances, i => i.NodeId == "app" && i.Id != "app_1");
        Assert.Equal((NodeInstanceState.Started, NodeInstanceState.Started), (host.State, app.State));
        Assert.Matches("^g_[a-z0-9]{6}$", host.ScalingGroups[0]!["id"]!.GetValue<string>());
        Assert.Equal([host.Id, "db_1"], app.Relationships.Select(r => r!["target_id"]!.GetValue<string>()));
        Assert.Contains(app.Id + ":" + Lc + "create", agent.Order);
        Assert.Contains("db_1:" + Rl + "establish", agent.Order);
        var deployment = (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, Token))!;
        Assert.Equal(2, deployment.ScalingGroups["g"]!["properties"]!["current_instances"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("db", "1", "exclude_instances", "Instances cannot be included or excluded when scaling up.")]
    [InlineData("nope", "1", null, "No scalable entity named nope was found")]
    [InlineData("db", "-5", null, "Provided delta: -5 is illegal. current number of instances of entity db is 1")]
    [InlineData("db", "\"x\"", null, "The delta parameter must be a number. Got: x")]
    [InlineData("db", "-1", "include_instances", "The following included instances did not exist: db_1x. Available instances were: db_1")]
    public async Task Scale_FailsWithCloudifysMessage_AndStartsNothing_WhenParametersAreWrong(string entity, string delta, string? listKey, string error)
    {
        await using var h = await HarnessAsync(dbs: 1);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var parameters = Scale(entity, JsonNode.Parse(delta)!);
        if (listKey is not null)
        {
            parameters[listKey] = new JsonArray("db_1x");
        }

        var execution = await h.RunAsync(await h.CreateExecutionAsync("scale", parameters));

        Assert.Equal((ExecutionStatus.Failed, error), (execution.Status, execution.Error));
        Assert.Empty(await ModificationsAsync(h));
        Assert.Empty(agent.Deliveries);
    }

    [Fact]
    public async Task ScaleOut_ResumedAfterACrash_ContinuesItsModification_InsteadOfStartingAnother()
    {
        await using var h = await HarnessAsync(dbs: 1);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key.EndsWith(":" + Lc + "start", StringComparison.Ordinal) ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("scale", Scale("db", 1));
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var held = agent.WhenAny(d => d.Key.EndsWith(":" + Lc + "start", StringComparison.Ordinal));

        var first = h.NewEngine().RunAsync(start.ExecutionId, start, null, crash.Token);
        var delivery = await held.Within("the new db's start to reach the agent");
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within("the first engine to stop after its crash token fired"));
        // The instance was left starting: the resumed install stops it first (Cloudify's resume clean-up), then starts it again.
        var resent = agent.WhenReceived(delivery.Key, occurrence: 2);
        var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, Token);
        await agent.ReplyAsync(await resent.Within("the resumed scale to send the new db's start again"), FakeAgent.Success());
        await resumed.Within($"the resumed scale {start.ExecutionId} to end");

        var execution = (await h.Store.GetExecutionAsync(null, start.ExecutionId, Token))!;
        Assert.True(execution.Status == ExecutionStatus.Terminated, execution.Error);
        Assert.Equal(DeploymentModificationStatus.Finished, Assert.Single(await ModificationsAsync(h)).Status);
        Assert.Equal(2, (await h.InstanceStatesAsync()).Count(kv => kv.Key.StartsWith("db_", StringComparison.Ordinal) && kv.Value == NodeInstanceState.Started));
    }

    [Fact]
    public async Task Scale_WithAbortStarted_RollsBackALeftoverModification_BeforeItsOwn()
    {
        await using var h = await HarnessAsync(dbs: 1);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var deployment = (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, Token))!;
        var leftover = await new Modifications.DeploymentModifications(h.Store, h.Time).StartAsync(
            deployment, new JsonObject { ["db"] = new JsonObject { ["instances"] = 3 } }, new JsonObject { ["execution_id"] = "gone" }, "admin", Token);

        var execution = await h.RunAsync(await h.CreateExecutionAsync("scale", Scale("db", 1, ("abort_started", true))));

        Assert.True(execution.Status == ExecutionStatus.Terminated, execution.Error);
        var modifications = await ModificationsAsync(h);
        Assert.Equal(DeploymentModificationStatus.RolledBack, modifications.Single(m => m.Id == leftover.Id).Status);
        Assert.Equal(DeploymentModificationStatus.Finished, modifications.Single(m => m.Id != leftover.Id).Status);
        Assert.Equal(2, (await h.InstanceStatesAsync()).Count(kv => kv.Key.StartsWith("db_", StringComparison.Ordinal) && kv.Value == NodeInstanceState.Started));
        Assert.Equal(2, (await h.InstanceStatesAsync()).Keys.Count(k => k.StartsWith("db_", StringComparison.Ordinal)));
        Assert.Contains(await h.EventsOfAsync(execution.Id), e => e.Message == $"Rolling back deployment modification. [modification_id={leftover.Id}]");
    }
}
