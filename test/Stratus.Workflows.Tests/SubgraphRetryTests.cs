using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// Cloudify's <c>workflow.subgraph_retries</c> (lifecycle.py <c>_SubgraphOnFailure</c>): a failed top-level instance
/// subgraph is replaced by <c>reinstall_&lt;id&gt;</c> (install) or a new uninstall subgraph (uninstall) while retries
/// remain. Facts from Cloudify's code: the replacement carries <c>retried_task</c> and <c>current_retries + 1</c>,
/// starts with "Node lifecycle failed. Attempting to re-run node lifecycle", and its subgraph events carry
/// " [retry n/total]". Stratus builds the uninstall part from the instance's stored state (Cloudify: the state read
/// when the workflow started), so a failed create is cleaned up with stop and delete before the new install.
/// </summary>
public sealed class SubgraphRetryTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task Install_ReinstallsTheInstance_WhenItsSubgraphFailsAndSubgraphRetriesRemain()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        h.Options.SubgraphRetries = 1;
        var creates = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "create" && Interlocked.Increment(ref creates) == 1
                ? FakeAgent.Failure(TaskError.NonRecoverable, "boom")
                : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(
            [Lc + "create", Lc + "stop", Lc + "delete", Lc + "create", Lc + "configure", Lc + "start"],
            agent.Deliveries.Where(d => d.NodeInstanceId == "db_1" && d.Operation.StartsWith(Lc, StringComparison.Ordinal)).Select(d => d.Operation));
        var order = agent.Order.ToList();
        Assert.True(order.LastIndexOf("db_1:" + Lc + "start") < order.IndexOf("app_1:" + Lc + "create"), string.Join('\n', order));
        var db = (await h.NodeEventsOfAsync(start.ExecutionId)).Where(e => e.StartsWith("db_1", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "db_1: Creating node instance",
                "db_1: Node lifecycle failed. Attempting to re-run node lifecycle",
                "db_1: Stopping node instance",
                "db_1: Validating node instance after deletion: nothing to do",
                "db_1: Stopped node instance",
                "db_1: Deleting node instance",
                "db_1: Deleted node instance",
                "db_1: Validating node instance before creation: nothing to do",
            ],
            db.Skip(2).Take(8));
        Assert.Equal("db_1: Node instance started", db[^1]);
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Contains(events, e => e.Message == "Subgraph failed 'install_db_1'");
        Assert.Contains(events, e => e.Message == "Subgraph started 'reinstall_db_1' [retry 1/1]");
        var operations = await h.OperationsOfAsync(start.ExecutionId);
        var failed = Assert.Single(operations, o => o.Name == "install_db_1" && o.Parameters["containing_subgraph"] is null);
        var replacement = Assert.Single(operations, o => o.Name == "reinstall_db_1");
        Assert.Equal(failed.Id, replacement.Parameters["retried_task"]!.GetValue<string>());
        Assert.Equal(1, replacement.Parameters["current_retries"]!.GetValue<int>());
        Assert.Equal("failed", failed.State);
        Assert.Equal("succeeded", replacement.State);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }

    [Fact]
    public async Task Install_FailsWithTheTaskError_WhenSubgraphRetriesAreUsedUp()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        h.Options.SubgraphRetries = 1;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "create" ? FakeAgent.Failure(TaskError.NonRecoverable, "boom") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Task failed: script_runner.tasks.run (db_1:" + Lc + "create): NonRecoverableError `boom`", execution.Error);
        Assert.Equal(2, agent.Deliveries.Count(d => d.Key == "db_1:" + Lc + "create"));
        Assert.DoesNotContain(agent.Deliveries, d => d.NodeInstanceId == "app_1");
        Assert.Contains(await h.EventsOfAsync(start.ExecutionId), e => e.Message == "Subgraph failed 'reinstall_db_1' [retry 1/1]");
    }

    [Fact]
    public async Task Install_FailsAtTheFirstError_WhenSubgraphRetriesAreZero()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "create" ? FakeAgent.Failure(TaskError.NonRecoverable, "boom") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Single(agent.Deliveries, d => d.Key == "db_1:" + Lc + "create");
        Assert.DoesNotContain(await h.OperationsOfAsync(start.ExecutionId), o => o.Name == "reinstall_db_1");
    }

    [Fact]
    public async Task Install_ContinuesTheStoredReinstall_WhenResumedAfterACrash()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        h.Options.SubgraphRetries = 1;
        var creates = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key != "db_1:" + Lc + "create" ? FakeAgent.Success()
            : Interlocked.Increment(ref creates) == 1 ? FakeAgent.Failure(TaskError.NonRecoverable, "boom")
            : null);
        var start = await h.CreateExecutionAsync("install");
        var retried = agent.WhenReceived("db_1:" + Lc + "create", occurrence: 2);
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var first = h.NewEngine().RunAsync(start.ExecutionId, start, null, crash.Token);
        var held = await retried.Within("db_1 create to be sent again by reinstall_db_1");
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within("the first engine to stop after its crash token fired"));

        var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
        await agent.WhenReceived("db_1:" + Lc + "create", occurrence: 3).Within("the resumed run to send reinstall_db_1's create again");
        await agent.ReplyAsync(held, FakeAgent.Success());
        await resumed.Within($"the resumed execution {start.ExecutionId} to end");

        var execution = (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!;
        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var operations = await h.OperationsOfAsync(start.ExecutionId);
        Assert.Single(operations, o => o.Name == "reinstall_db_1");
        Assert.Single(await h.NodeEventsOfAsync(start.ExecutionId), e => e == "db_1: Node lifecycle failed. Attempting to re-run node lifecycle");
        // Once by reinstall_db_1's uninstall part, once by the resume clean-up before its create is sent again (db_1 was
        // left creating), as Cloudify's resumed install does.
        Assert.Equal(2, agent.Deliveries.Count(d => d.Key == "db_1:" + Lc + "delete"));
        Assert.Contains("db_1: Rolling back prior to resuming install", await h.NodeEventsOfAsync(start.ExecutionId));
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }

    [Fact]
    public async Task Uninstall_RunsTheInstanceUninstallAgain_WhenItsSubgraphFailsAndSubgraphRetriesRemain()
    {
        var (nodes, instances) = Topology.ThreeTier();
        await using var h = await EngineHarness.SqliteAsync(nodes, [.. instances.Select(i => i with { State = NodeInstanceState.Started })]);
        h.Options.SubgraphRetries = 1;
        var stops = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "stop" && Interlocked.Increment(ref stops) == 1
                ? FakeAgent.Failure(TaskError.NonRecoverable, "busy")
                : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("uninstall");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal([Lc + "stop", Lc + "stop", Lc + "delete"], agent.Deliveries.Where(d => d.NodeInstanceId == "db_1").Select(d => d.Operation));
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Contains(events, e => e.Message == "Subgraph started 'db_1' [retry 1/1]");
        Assert.DoesNotContain(events, e => e.Message.StartsWith("Node lifecycle failed", StringComparison.Ordinal));
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Deleted, s));
    }
}
