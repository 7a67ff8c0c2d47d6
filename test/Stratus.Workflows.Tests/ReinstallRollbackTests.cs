using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// reinstall and rollback on the embedded store. Expected sequences come from Cloudify's own engine: <c>cfy</c> local
/// mode (cloudify-common 7.1.0.dev1) ran the blueprint of <see cref="Topology.Checked"/> (host; db; app contained in
/// host and connected to db) and printed the node events and operations compared here.
/// </summary>
public sealed class ReinstallRollbackTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Rl = "cloudify.interfaces.relationship_lifecycle.";

    [Fact]
    public async Task Reinstall_UninstallsThenInstallsTheSelectedInstance_AndRelinksTheIntactSource()
    {
        // cfy local, `executions start reinstall -p node_ids=[db]` after install: operations app->db unlink, db stop,
        // db delete, db create, configure, start, app->db establish; subgraphs stub_app, db, install_db, stub_app.
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("reinstall", new JsonObject { ["node_ids"] = new JsonArray("db") });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(
            ["app_1:" + Rl + "unlink", "db_1:" + Lc + "stop", "db_1:" + Lc + "delete", "db_1:" + Lc + "create", "db_1:" + Lc + "configure",
             "db_1:" + Lc + "start", "db_1:" + Rl + "establish"],
            agent.Order);
        Assert.Equal(
            [
                "db_1: Stopping node instance",
                "db_1: Validating node instance after deletion: nothing to do",
                "db_1: Stopped node instance",
                "db_1: Deleting node instance",
                "db_1: Deleted node instance",
                "db_1: Validating node instance before creation: nothing to do",
                "db_1: Precreating node instance: nothing to do",
                "db_1: Creating node instance",
                "db_1: Node instance created",
                "db_1: Configuring node instance",
                "db_1: Node instance configured",
                "db_1: Starting node instance",
                "db_1: Poststarting node instance: nothing to do",
                "db_1: Node instance started",
            ],
            await h.NodeEventsOfAsync(start.ExecutionId));
        var subgraphs = (await h.EventsOfAsync(start.ExecutionId)).Where(e => e.Message.StartsWith("Subgraph started", StringComparison.Ordinal)).Select(e => e.Message);
        Assert.Equal(["Subgraph started 'stub_app_1'", "Subgraph started 'db_1'", "Subgraph started 'install_db_1'", "Subgraph started 'stub_app_1'"], subgraphs);
        Assert.Equal(["reinstall-uninstall", "reinstall-install"], (await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken)).Select(g => g.Name).Order().Reverse());
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }

    [Fact]
    public async Task Reinstall_StopsBeforeInstalling_WhenTheUninstallPartFails()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "delete" ? FakeAgent.Failure(TaskError.NonRecoverable, "locked") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("reinstall", new JsonObject { ["node_ids"] = new JsonArray("db") });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Task failed: script_runner.tasks.run (db_1:" + Lc + "delete): NonRecoverableError `locked`", execution.Error);
        Assert.DoesNotContain(agent.Deliveries, d => d.Operation == Lc + "create");
        Assert.Equal(["reinstall-uninstall"], (await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken)).Select(g => g.Name));
    }

    [Fact]
    public async Task Reinstall_IgnoresUninstallFailures_WhenIgnoreFailureIsTrue()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "stop" ? FakeAgent.Failure(TaskError.Recoverable, "stuck") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("reinstall", new JsonObject { ["node_ids"] = new JsonArray("db"), ["ignore_failure"] = true });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Single(agent.Deliveries, d => d.Key == "db_1:" + Lc + "stop");
        Assert.Contains("db_1: Ignoring task script_runner.tasks.run failure", await h.NodeEventsOfAsync(start.ExecutionId));
        Assert.Equal(NodeInstanceState.Started, (await h.InstanceAsync("db_1")).State);
    }

    [Fact]
    public async Task Rollback_ReturnsUnresolvedInstancesToResolvedStates_AsCloudifyLocalModeDoes()
    {
        // cfy local, install failing at host start and db configure, then `executions start rollback`: operations
        // app->db unlink (intact app), host stop, db delete; host ends configured, db uninitialized; node events below.
        var (nodes, instances) = Topology.Checked();
        var states = new Dictionary<string, string> { ["host_1"] = NodeInstanceState.Starting, ["db_1"] = NodeInstanceState.Configuring, ["app_1"] = NodeInstanceState.Uninitialized };
        await using var h = await EngineHarness.SqliteAsync(nodes, [.. instances.Select(i => i with { State = states[i.Id] })]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("rollback");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal("app_1:" + Rl + "unlink", agent.Order[0]);
        Assert.Equal(["app_1:" + Rl + "unlink", "db_1:" + Lc + "delete", "host_1:" + Lc + "stop"], agent.Order.Order());
        var events = await h.NodeEventsOfAsync(start.ExecutionId);
        Assert.Equal(
            [
                "host_1: Stopping node instance",
                "host_1: Validating node instance after deletion: nothing to do",
                "host_1: Stopped node instance",
                "host_1: Rollback Delete: nothing to do, instance state is starting",
                "host_1: Rollbacked node instance",
            ],
            events.Where(e => e.StartsWith("host_1", StringComparison.Ordinal)));
        Assert.Equal(
            [
                "db_1: Validating node instance after deletion: nothing to do",
                "db_1: Rollback Stop: nothing to do, instance state is configuring",
                "db_1: Deleting node instance",
                "db_1: Rollbacked node instance",
            ],
            events.Where(e => e.StartsWith("db_1", StringComparison.Ordinal)));
        var after = await h.InstanceStatesAsync();
        Assert.Equal(NodeInstanceState.Configured, after["host_1"]);
        Assert.Equal(NodeInstanceState.Uninitialized, after["db_1"]);
        Assert.Equal(NodeInstanceState.Uninitialized, after["app_1"]);
    }

    [Fact]
    public async Task Rollback_GoesOnAndSucceeds_WhenARollbackOperationFails()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, [.. instances.Select(i => i with { State = i.Id == "db_1" ? NodeInstanceState.Creating : NodeInstanceState.Uninitialized })]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "db_1:" + Lc + "delete" ? FakeAgent.Failure(TaskError.Recoverable, "gone") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("rollback");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Single(agent.Deliveries, d => d.Key == "db_1:" + Lc + "delete");
        Assert.Contains("db_1: Ignoring task script_runner.tasks.run failure", await h.NodeEventsOfAsync(start.ExecutionId));
        Assert.Equal(NodeInstanceState.Uninitialized, (await h.InstanceAsync("db_1")).State);
    }

    [Fact]
    public async Task Rollback_UninstallsEverythingAfterwards_WhenFullRollback()
    {
        // cfy local, install failing at db configure, then rollback -p full_rollback=true: db deleted by the rollback,
        // then an uninstall of every instance ("Stop: instance already uninitialized" for db); all end deleted.
        var (nodes, instances) = Topology.Checked();
        var states = new Dictionary<string, string> { ["host_1"] = NodeInstanceState.Started, ["db_1"] = NodeInstanceState.Configuring, ["app_1"] = NodeInstanceState.Uninitialized };
        await using var h = await EngineHarness.SqliteAsync(nodes, [.. instances.Select(i => i with { State = states[i.Id] })]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("rollback", new JsonObject { ["full_rollback"] = true });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Deleted, s));
        var db = (await h.NodeEventsOfAsync(start.ExecutionId)).Where(e => e.StartsWith("db_1", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["db_1: Rollbacked node instance", "db_1: Validating node instance after deletion: nothing to do", "db_1: Stop: instance already uninitialized",
             "db_1: Delete: instance already uninitialized", "db_1: Deleted node instance"],
            db.Skip(3));
        Assert.Equal(["host_1:" + Lc + "delete", "host_1:" + Lc + "stop"], agent.Order.Where(o => o.StartsWith("host_1", StringComparison.Ordinal)).Order());
        Assert.Equal(["rollback", "uninstall-auninstall"], (await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken)).Select(g => g.Name).Order());
    }
}
