using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// check_status and check_drift on the embedded store. Facts from Cloudify (workflows.py, and <c>cfy</c> local mode
/// on <see cref="Topology.Checked"/>): one operation per instance, no node events, a failed check is not retried, the
/// result lands in <c>system_properties</c> as <c>{ok, timestamp (UTC ISO, no offset), task (the task name), result
/// (the return value, or the error text)}</c> with the former status kept as <c>previous_status</c>.
/// </summary>
public sealed class CheckWorkflowTests
{
    private const string CheckStatus = "cloudify.interfaces.validation.check_status";
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Rl = "cloudify.interfaces.relationship_lifecycle.";

    [Fact]
    public async Task CheckStatus_StoresEveryResult_AndFailsWithTheFailedCheck()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.NodeInstanceId switch
        {
            "app_1" => FakeAgent.Failure(TaskError.NonRecoverable, "down"),
            "host_1" => FakeAgent.Failure(TaskError.Recoverable, "flaky"),
            _ => FakeAgent.Returning(new JsonObject { ["latency_ms"] = 3 }),
        });
        var start = await h.CreateExecutionAsync("check_status");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("script_runner.tasks.run (app_1:" + CheckStatus + "): NonRecoverableError `down`", execution.Error, StringComparison.Ordinal);
        Assert.Equal(3, agent.Deliveries.Count);
        Assert.All(agent.Deliveries, d => Assert.Equal(0, d.Context["operation"]!["max_retries"]!.GetValue<int>()));
        Assert.Empty(await h.NodeEventsOfAsync(start.ExecutionId));
        var db = (await h.InstanceAsync("db_1")).SystemProperties!;
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["ok"] = true, ["timestamp"] = "2026-11-26T06:00:00", ["task"] = "script_runner.tasks.run", ["result"] = new JsonObject { ["latency_ms"] = 3 } },
            db["status"]), db.ToJsonString());
        Assert.Null(db["previous_status"]);
        Assert.True(db.ContainsKey("previous_status"));
        var app = (await h.InstanceAsync("app_1")).SystemProperties!["status"]!;
        Assert.False(app["ok"]!.GetValue<bool>());
        Assert.Equal("down", app["result"]!.GetValue<string>());
        Assert.Equal("flaky", (await h.InstanceAsync("host_1")).SystemProperties!["status"]!["result"]!.GetValue<string>());
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }

    [Fact]
    public async Task CheckStatus_KeepsThePreviousStatus_AndSucceedsDespiteFailures_WhenIgnoreFailure()
    {
        var (nodes, instances) = Topology.Checked();
        await using var h = await EngineHarness.SqliteAsync(nodes, instances);
        var round = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.NodeInstanceId == "db_1" && Volatile.Read(ref round) == 1 ? FakeAgent.Failure(TaskError.NonRecoverable, "db down") : FakeAgent.Success());
        Assert.Equal(ExecutionStatus.Terminated, (await h.RunAsync(await h.CreateExecutionAsync("check_status"))).Status);
        Interlocked.Increment(ref round);
        h.Time.Advance(TimeSpan.FromSeconds(1.5));

        var execution = await h.RunAsync(await h.CreateExecutionAsync("check_status", new JsonObject { ["ignore_failure"] = true, ["node_ids"] = new JsonArray("db") }));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var props = (await h.InstanceAsync("db_1")).SystemProperties!;
        Assert.Equal("2026-11-26T06:00:01.500000", props["status"]!["timestamp"]!.GetValue<string>());
        Assert.False(props["status"]!["ok"]!.GetValue<bool>());
        Assert.True(props["previous_status"]!["ok"]!.GetValue<bool>());
        Assert.Equal(4, agent.Deliveries.Count);
    }

    [Fact]
    public async Task CheckDrift_StoresInstanceAndRelationshipDrift_AfterTheTargetsChecks()
    {
        static JsonObject Check() => Topology.Script("scripts/drift.sh");
        var db = Topology.Node("db", Topology.Operations((Lc + "check_drift", Check())));
        var app = Topology.Node("app", Topology.Operations(), [Topology.Relationship(
            "cloudify.relationships.connected_to", "db",
            sourceOps: new JsonObject { [Rl + "check_drift"] = Check() },
            targetOps: new JsonObject { [Rl + "check_drift"] = Check() })]);
        await using var h = await EngineHarness.SqliteAsync(
            [db, app],
            [Topology.Instance("db_1", "db", state: NodeInstanceState.Started),
             Topology.Instance("app_1", "app", state: NodeInstanceState.Started, relationships: [Topology.InstanceRelationship("cloudify.relationships.connected_to", "db", "db_1")])]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => FakeAgent.Returning(d.Context["operation"]!["relationship"]?.GetValue<string>() ?? "port changed"));
        var start = await h.CreateExecutionAsync("check_drift");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal("db_1:" + Lc + "check_drift", agent.Order[0]);
        Assert.Equal(["app_1:" + Rl + "check_drift", "db_1:" + Rl + "check_drift"], agent.Order.Skip(1).Order());
        var dbProps = (await h.InstanceAsync("db_1")).SystemProperties!;
        Assert.Equal("port changed", dbProps["configuration_drift"]!["result"]!.GetValue<string>());
        Assert.Equal("target", dbProps["target_relationships_configuration_drift"]!["app_1"]!["result"]!.GetValue<string>());
        var appProps = (await h.InstanceAsync("app_1")).SystemProperties!;
        Assert.Equal("source", appProps["source_relationships_configuration_drift"]!["db_1"]!["result"]!.GetValue<string>());
        Assert.False(appProps.ContainsKey("configuration_drift"));
    }
}
