using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class ExecuteOperationTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task ExecuteOperation_RunsOperationWithKwargsOnSelectedInstances_WhenRequested()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("execute_operation", new JsonObject
        {
            ["operation"] = Lc + "configure",
            ["operation_kwargs"] = new JsonObject { ["level"] = "debug", ["force"] = true },
            ["node_ids"] = new JsonArray("db", "host"),
        });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var delivery = Assert.Single(agent.Deliveries);
        Assert.Equal("db_1:" + Lc + "configure", delivery.Key);
        Assert.Equal("debug", delivery.Kwargs["level"]!.GetValue<string>());
        Assert.Equal("scripts/db_configure.sh", delivery.Kwargs["script_path"]!.GetValue<string>());
        Assert.Equal(
            [
                "Starting operation " + Lc + "configure (Operation parameters: {'level': 'debug', 'force': True})",
                "Finished operation " + Lc + "configure",
            ],
            (await h.EventsOfAsync(start.ExecutionId)).Where(e => e.NodeInstanceId == "db_1" && e.EventType == "workflow_node_event").Select(e => e.Message));
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Uninitialized, s));
    }

    [Fact]
    public async Task ExecuteOperation_FailsWithCloudifyMessage_WhenKwargRedefinesInput()
    {
        await using var h = EngineHarness.ThreeTier();
        var start = await h.CreateExecutionAsync("execute_operation", new JsonObject
        {
            ["operation"] = Lc + "create",
            ["operation_kwargs"] = new JsonObject { ["script_path"] = "other.sh" },
        });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.StartsWith("Duplicate definition of script_path in operation properties and in kwargs.", execution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_StopsEverythingTargetsFirstThenStarts_WhenRunByDependencyOrder()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("restart", new JsonObject { ["run_by_dependency_order"] = true }));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var order = agent.Order.ToList();
        Assert.Equal(5, order.Count); // host has no stop operation
        Assert.True(order.IndexOf("db_1:" + Lc + "stop") < order.IndexOf("app_1:" + Lc + "stop"), string.Join('\n', order));
        Assert.True(order.FindLastIndex(o => o.EndsWith("stop", StringComparison.Ordinal)) < order.FindIndex(o => o.EndsWith("start", StringComparison.Ordinal)), string.Join('\n', order));
        Assert.True(order.IndexOf("db_1:" + Lc + "start") < order.IndexOf("app_1:" + Lc + "start"), string.Join('\n', order));
    }
}
