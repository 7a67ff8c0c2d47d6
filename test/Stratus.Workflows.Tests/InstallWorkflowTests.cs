using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class InstallWorkflowTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task Install_EndsTerminatedWithEveryInstanceStarted_WhenEveryOperationSucceeds()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal("", execution.Error);
        Assert.NotNull(execution.StartedAt);
        Assert.NotNull(execution.EndedAt);
        Assert.True(execution.TotalOperations > 0);
        Assert.Equal(execution.TotalOperations, execution.FinishedOperations);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
        var deployment = (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, TestContext.Current.CancellationToken))!;
        Assert.Equal("active", deployment.InstallationStatus);
        Assert.Equal(start.ExecutionId, deployment.LatestExecutionId);
        Assert.All((await h.OperationsOfAsync(start.ExecutionId)), o => Assert.Equal("succeeded", o.State));
        Assert.Equal(0, h.Broker.GetReadyCount(QueueNames.Operations(QueueNames.Management)));
        Assert.Throws<QueueNotFoundException>(() => h.Broker.GetReadyCount(QueueNames.ExecutionResponses(start.ExecutionId)));
        Assert.Throws<QueueNotFoundException>(() => h.Broker.GetReadyCount(DeadLetter.QueueFor(QueueNames.ExecutionResponses(start.ExecutionId))));
    }

    [Fact]
    public async Task Install_SendsOperationsInDependencyOrder_WhenAppIsConnectedToDb()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        await h.RunAsync(await h.CreateExecutionAsync("install"));

        var order = agent.Order.ToList();
        Assert.True(order.IndexOf("db_1:" + Lc + "start") < order.IndexOf("app_1:" + Lc + "create"), string.Join('\n', order));
        Assert.True(order.IndexOf("host_1:" + Lc + "start") < order.IndexOf("app_1:" + Lc + "create"), string.Join('\n', order));
        Assert.Equal(
            ["app_1:" + Lc + "create", "app_1:cloudify.interfaces.relationship_lifecycle.preconfigure", "app_1:" + Lc + "configure",
             "app_1:" + Lc + "start", "db_1:cloudify.interfaces.relationship_lifecycle.establish"],
            order.Where(o => o.StartsWith("app_1", StringComparison.Ordinal) || o.Contains("establish", StringComparison.Ordinal)));
        Assert.Equal(10, order.Count);
    }

    [Fact]
    public async Task Install_SendsCloudifyOperationContext_WhenDispatching()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        await h.RunAsync(start);

        var establish = agent.Deliveries.Single(d => d.Operation.EndsWith("establish", StringComparison.Ordinal));
        var ctx = establish.Context;
        Assert.Equal("script_runner.tasks.run", ctx["task_name"]!.GetValue<string>());
        Assert.Equal(start.ExecutionId, ctx["execution_id"]!.GetValue<string>());
        Assert.Equal("install", ctx["workflow_id"]!.GetValue<string>());
        Assert.Equal("db_1", ctx["node_id"]!.GetValue<string>());
        Assert.Equal("db", ctx["node_name"]!.GetValue<string>());
        Assert.Equal("target", ctx["operation"]!["relationship"]!.GetValue<string>());
        Assert.Equal("app_1", ctx["related"]!["node_id"]!.GetValue<string>());
        Assert.False(ctx["related"]!["is_target"]!.GetValue<bool>());
        Assert.Equal(start.ExecutionToken, ctx["execution_token"]!.GetValue<string>());
        Assert.Equal("10.0.0.5", ctx["rest_host"]![0]!.GetValue<string>());
        Assert.Equal(8080, ctx["rest_port"]!.GetValue<int>());
        Assert.Equal("https", ctx["rest_protocol"]!.GetValue<string>());
        Assert.Equal(Topology.Tenant, ctx["tenant"]!["name"]!.GetValue<string>());
        Assert.Equal(Topology.DeploymentId, ctx["deployment_id"]!.GetValue<string>());
        Assert.Equal(QueueNames.Management, ctx["task_target"]!.GetValue<string>());
        Assert.Equal("scripts/db_establish.sh", establish.Kwargs["script_path"]!.GetValue<string>());
        Assert.Equal(QueueNames.ExecutionResponses(start.ExecutionId), establish.ReplyTo);
        Assert.Equal(ctx["task_id"]!.GetValue<string>(), establish.CorrelationId);
        Assert.NotNull(await h.Store.GetOperationAsync(establish.CorrelationId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Install_StoresCloudifyEventSequence_WhenSucceeded()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        await h.RunAsync(start);

        var events = (await h.EventsOfAsync(start.ExecutionId));
        Assert.Equal(("workflow_started", "Starting 'install' workflow execution"), (events[0].EventType, events[0].Message));
        Assert.Equal(("workflow_succeeded", "'install' workflow execution succeeded"), (events[^1].EventType, events[^1].Message));
        var db = events.Where(e => e.NodeInstanceId == "db_1").Select(e => $"{e.EventType}: {e.Message}").ToList();
        Assert.Equal(
            [
                "workflow_node_event: Validating node instance before creation: nothing to do",
                "workflow_node_event: Precreating node instance: nothing to do",
                "workflow_node_event: Creating node instance",
                "sending_task: Sending task 'script_runner.tasks.run'",
                "task_succeeded: Task succeeded 'script_runner.tasks.run'",
                "workflow_node_event: Node instance created",
            ],
            db.Take(6));
        Assert.Contains(events, e => e.EventType == "task_started" && e.Message == "Subgraph started 'install_db_1'");
        Assert.Contains(events, e => e.EventType == "task_succeeded" && e.Message == "Subgraph succeeded 'install_app_1'");
        Assert.All(events.Where(e => e.EventType == "sending_task"), e => Assert.NotNull(e.Operation));
        Assert.All(events.Where(e => e.NodeInstanceId == "db_1"), e => Assert.Equal("db", e.NodeName));
        Assert.All(events, e => Assert.Equal("test-manager", e.ManagerName));
    }

    [Fact]
    public async Task Install_RetriesAfterRetryInterval_WhenOperationFailsRecoverably()
    {
        await using var h = EngineHarness.ThreeTier();
        var failures = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "configure" && Interlocked.Increment(ref failures) == 1
                ? FakeAgent.Failure(TaskError.Recoverable, "port busy")
                : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var failed = h.Memory.WhenEvent(e => e.EventType == "task_failed" && e.NodeInstanceId == "db_1");

        var run = h.RunAsync(start);
        var failedEvent = await failed.Within("db_1 configure's first attempt to be stored as task_failed");
        Assert.Equal("Task failed 'script_runner.tasks.run' -> port busy", failedEvent.Message);
        Assert.DoesNotContain(agent.Deliveries, d => d.Key == "db_1:" + Lc + "configure" && d.RetryNumber == 1);
        h.Time.Advance(h.Options.RetryInterval);
        var execution = await run;

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var attempts = agent.Deliveries.Where(d => d.Key == "db_1:" + Lc + "configure").Select(d => d.RetryNumber).ToList();
        Assert.Equal([0, 1], attempts);
        Assert.Contains((await h.EventsOfAsync(start.ExecutionId)), e => e.Message == "Sending task 'script_runner.tasks.run' [retry 1/60]");
    }

    [Fact]
    public async Task Install_RetriesAfterRequestedDelay_WhenOperationAsksForRetry()
    {
        await using var h = EngineHarness.ThreeTier();
        var asked = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "host_1:" + Lc + "start" && Interlocked.Increment(ref asked) == 1
                ? FakeAgent.Failure(TaskError.OperationRetry, "waiting for boot", retryAfter: 3)
                : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var rescheduled = h.Memory.WhenEvent(e => e.EventType == "task_rescheduled");

        var run = h.RunAsync(start);
        var ev = await rescheduled.Within("host_1 start to be stored as task_rescheduled");
        Assert.Equal("Task rescheduled 'script_runner.tasks.run' -> waiting for boot", ev.Message);
        h.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(ExecutionStatus.Terminated, (await run).Status);
    }

    [Fact]
    public async Task Install_FailsWithCloudifyErrorAndSparesUnrelatedBranch_WhenOperationFailsNonRecoverably()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "create" ? FakeAgent.Failure(TaskError.NonRecoverable, "boom") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Task failed: script_runner.tasks.run (db_1:" + Lc + "create): NonRecoverableError `boom`", execution.Error);
        Assert.Single(agent.Deliveries, d => d.Key == "db_1:" + Lc + "create");
        Assert.DoesNotContain(agent.Deliveries, d => d.NodeInstanceId == "app_1");
        var states = await h.InstanceStatesAsync();
        Assert.Equal(NodeInstanceState.Started, states["host_1"]);
        Assert.Equal(NodeInstanceState.Creating, states["db_1"]);
        Assert.Equal(NodeInstanceState.Uninitialized, states["app_1"]);
        var events = (await h.EventsOfAsync(start.ExecutionId));
        Assert.Equal("workflow_failed", events[^1].EventType);
        Assert.Equal("'install' workflow execution failed: " + execution.Error, events[^1].Message);
        Assert.Contains(events, e => e.EventType == "task_failed" && e.Message == "Subgraph failed 'install_db_1'");
        var deployment = (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, TestContext.Current.CancellationToken))!;
        Assert.Equal("inactive", deployment.InstallationStatus);
        Assert.Equal("requires_attention", deployment.DeploymentStatus);
    }

    [Fact]
    public async Task Install_FailsAfterMaxRetries_WhenOperationKeepsFailingRecoverably()
    {
        await using var h = EngineHarness.ThreeTier();
        h.Options.DefaultTaskRetries = 1;
        h.Options.RetryInterval = TimeSpan.Zero;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "host_1:" + Lc + "create" ? FakeAgent.Failure(TaskError.Recoverable, "flaky") : FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal([0, 1], agent.Deliveries.Where(d => d.Key == "host_1:" + Lc + "create").Select(d => d.RetryNumber));
        Assert.Equal("Task failed: script_runner.tasks.run (host_1:" + Lc + "create): RecoverableError `flaky`", execution.Error);
    }

    [Fact]
    public async Task Install_SendsNothingAndChangesNoState_WhenDryRun()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install", dryRun: true);

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Empty(agent.Deliveries);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Uninitialized, s));
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal("Starting 'install' workflow execution (dry run)", events[0].Message);
        Assert.Equal("'install' workflow execution succeeded (dry run)", events[^1].Message);
        Assert.Contains(events, e => e.NodeInstanceId == "db_1" && e.Message == "Task succeeded 'script_runner.tasks.run' (dry run)");
        Assert.Equal("inactive", (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, TestContext.Current.CancellationToken))!.InstallationStatus);
    }
}
