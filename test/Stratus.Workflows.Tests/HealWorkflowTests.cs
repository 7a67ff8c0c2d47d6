using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// heal on the embedded store. Expected sequences come from <c>cfy</c> local mode (cloudify-common 7.1.0.dev1) on the
/// blueprint of <see cref="Topology.Checked"/> after an install: a targeted heal runs check_status on the target set
/// only (a failed check is not retried), then heals instances that implement <c>lifecycle.heal</c> and reinstalls the
/// others (uninstall then install of the instance, its relationships unlinked and established again).
/// </summary>
public sealed class HealWorkflowTests
{
    private const string CheckStatus = "cloudify.interfaces.validation.check_status";
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Rl = "cloudify.interfaces.relationship_lifecycle.";

    [Fact]
    public async Task Heal_ReinstallsTheInstance_WhenItsCheckFailsAndItHasNoHealOperation()
    {
        // cfy local: `heal -p node_instance_id=<app>` with app's check_status failing: app check_status; app stop,
        // app->db unlink, app delete, app create, preconfigure, configure, start, establish; app's node events below.
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "app_1:" + CheckStatus ? FakeAgent.Failure(TaskError.NonRecoverable, "exit code 1") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("heal", new JsonObject { ["node_instance_id"] = "app_1" });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(
            ["app_1:" + CheckStatus, "app_1:" + Lc + "stop", "app_1:" + Rl + "unlink", "app_1:" + Lc + "delete", "app_1:" + Lc + "create",
             "app_1:" + Rl + "preconfigure", "app_1:" + Lc + "configure", "app_1:" + Lc + "start", "db_1:" + Rl + "establish"],
            agent.Order);
        Assert.Equal(
            [
                "app_1: Stopping node instance", "app_1: Validating node instance after deletion: nothing to do", "app_1: Stopped node instance",
                "app_1: Unlinking relationships", "app_1: Relationships unlinked", "app_1: Deleting node instance", "app_1: Deleted node instance",
                "app_1: Validating node instance before creation: nothing to do", "app_1: Precreating node instance: nothing to do",
                "app_1: Creating node instance", "app_1: Node instance created", "app_1: Pre-configuring relationships",
                "app_1: Relationships pre-configured", "app_1: Configuring node instance", "app_1: Node instance configured",
                "app_1: Starting node instance", "app_1: Poststarting node instance: nothing to do", "app_1: Establishing relationships",
                "app_1: Relationships established", "app_1: Node instance started",
            ],
            await h.NodeEventsOfAsync(start.ExecutionId));
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Contains(events, e => e.Type == "cloudify_log" && e.Message == "Starting 'heal' workflow on app_1, Diagnosis: Not provided");
        Assert.Equal(
            ["check_status", "heal", "reinstall-install", "reinstall-uninstall"],
            (await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken)).Select(g => g.Name).Order());
        Assert.False((await h.InstanceAsync("app_1")).SystemProperties!["status"]!["ok"]!.GetValue<bool>());
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }

    [Fact]
    public async Task Heal_RunsTheHealOperation_AndMarksTheInstanceHealed_WhenItImplementsHeal()
    {
        // cfy local: `heal -p node_instance_id=<db>` with db's check_status failing: db check_status, db heal; events
        // "Healing node instance", "Node instance healed"; status {ok: true, task: null, healed: true, result, timestamp}.
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + CheckStatus ? FakeAgent.Failure(TaskError.NonRecoverable, "exit code 1") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("heal", new JsonObject { ["node_instance_id"] = "db_1" });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(["db_1:" + CheckStatus, "db_1:" + Lc + "heal"], agent.Order);
        Assert.Equal(["db_1: Healing node instance", "db_1: Node instance healed"], await h.NodeEventsOfAsync(start.ExecutionId));
        var props = (await h.InstanceAsync("db_1")).SystemProperties!;
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["ok"] = true, ["timestamp"] = "2026-11-26T06:00:00", ["task"] = null, ["result"] = "exit code 1", ["healed"] = true },
            props["status"]), props.ToJsonString());
        Assert.Null(props["previous_status"]);
    }

    [Fact]
    public async Task Heal_ReinstallsTheInstance_WhenItsHealOperationFails()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key switch
        {
            "db_1:" + CheckStatus => FakeAgent.Failure(TaskError.NonRecoverable, "exit code 1"),
            "db_1:" + Lc + "heal" => FakeAgent.Failure(TaskError.NonRecoverable, "cannot heal"),
            _ => FakeAgent.Success(),
        });
        var start = await h.CreateExecutionAsync("heal", new JsonObject { ["node_instance_id"] = "db_1", ["check_status"] = true });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(
            ["db_1:" + CheckStatus, "db_1:" + Lc + "heal", "app_1:" + Rl + "unlink", "db_1:" + Lc + "stop", "db_1:" + Lc + "delete",
             "db_1:" + Lc + "create", "db_1:" + Lc + "configure", "db_1:" + Lc + "start", "db_1:" + Rl + "establish"],
            agent.Order);
        Assert.Contains((await h.EventsOfAsync(start.ExecutionId)), e => e.Message == "Subgraph failed 'heal_db_1'");
        var props = (await h.InstanceAsync("db_1")).SystemProperties!;
        Assert.False(props.ContainsKey("heal_failed"), props.ToJsonString());
    }

    [Fact]
    public async Task Heal_FailsWithCloudifyMessage_WhenAReinstallIsNeededButNotAllowed()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "app_1:" + CheckStatus ? FakeAgent.Failure(TaskError.NonRecoverable, "down") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("heal", new JsonObject { ["node_instance_id"] = "app_1", ["allow_reinstall"] = false });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("allow_reinstall is false, but would need to reinstall instances: app_1", execution.Error);
        Assert.Equal(["app_1:" + CheckStatus], agent.Order);
        Assert.Equal("'heal' workflow execution failed: " + execution.Error, (await h.EventsOfAsync(start.ExecutionId))[^1].Message);
    }

    [Fact]
    public async Task Heal_ReinstallsWithoutChecking_WhenForceReinstall()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("heal", new JsonObject { ["node_instance_id"] = "db_1", ["force_reinstall"] = true });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.DoesNotContain(agent.Order, o => o.EndsWith("check_status", StringComparison.Ordinal) || o.EndsWith(".heal", StringComparison.Ordinal));
        Assert.Contains("db_1:" + Lc + "create", agent.Order);
        Assert.Equal(["reinstall-install", "reinstall-uninstall"], (await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken)).Select(g => g.Name).Order());
    }

    [Fact]
    public async Task Heal_TouchesNothing_WhenDeploymentWideAndNothingIsProvenUnhealthy()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("heal", new JsonObject { ["check_status"] = false });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Empty(agent.Deliveries);
        Assert.Contains(await h.EventsOfAsync(start.ExecutionId), e => e.Message == "Starting 'heal' workflow for 'dep' deployment, Diagnosis: Not provided");
    }

    [Fact]
    public async Task Heal_FailsWithCloudifyMessage_WhenTheInstanceDoesNotExist()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);

        var execution = await h.RunAsync(await h.CreateExecutionAsync("heal", new JsonObject { ["node_instance_id"] = "nope" }));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("No node instance with id `nope` was found", execution.Error);
    }
}
