using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class RunControlTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task Uninstall_DeletesEveryInstanceSourcesFirst_AfterInstall()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        await h.RunAsync(await h.CreateExecutionAsync("install"));
        var installed = agent.Deliveries.Count;

        var start = await h.CreateExecutionAsync("uninstall");
        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Deleted, s));
        var order = agent.Order.Skip(installed).ToList();
        Assert.True(order.IndexOf("app_1:" + Lc + "delete") < order.IndexOf("db_1:" + Lc + "stop"), string.Join('\n', order));
        Assert.Contains("app_1:cloudify.interfaces.relationship_lifecycle.unlink", order);
        var deployment = (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, TestContext.Current.CancellationToken))!;
        Assert.Equal("inactive", deployment.InstallationStatus);
        Assert.Equal("'uninstall' workflow execution succeeded", (await h.EventsOfAsync(start.ExecutionId))[^1].Message);
    }

    [Fact]
    public async Task Install_EndsCancelledWithoutSendingMore_WhenCancelRequestedWhileOperationRuns()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => null);
        var start = await h.CreateExecutionAsync("install");
        var hostCreate = agent.WhenReceived("host_1:" + Lc + "create");
        var dbCreate = agent.WhenReceived("db_1:" + Lc + "create");

        var run = h.RunAsync(start);
        var first = await hostCreate.Within("host_1 create to reach the agent");
        var second = await dbCreate.Within("db_1 create to reach the agent");
        Assert.True(await h.Store.TryTransitionExecutionAsync(
            start.ExecutionId,
            new ExecutionTransition { To = ExecutionStatus.Cancelling, ExpectedFrom = [ExecutionStatus.Started] },
            TestContext.Current.CancellationToken));
        await agent.ReplyAsync(first, FakeAgent.Success());
        await agent.ReplyAsync(second, FakeAgent.Success());
        var execution = await run;

        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.Equal(["db_1:" + Lc + "create", "host_1:" + Lc + "create"], agent.Order.Order(StringComparer.Ordinal));
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal(("workflow_cancelled", "'install' workflow execution cancelled"), (events[^1].EventType, events[^1].Message));
        Assert.Equal(2, events.Count(e => e.EventType == "task_succeeded" && e.Operation is not null));
    }

    [Fact]
    public async Task Install_StopsWaitingForInFlightOperations_WhenForceCancelled()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "db_1:" + Lc + "create" ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var held = agent.WhenReceived("db_1:" + Lc + "create");

        var run = h.RunAsync(start);
        await held.Within("the held operation to reach the agent");
        Assert.True(await h.Store.TryTransitionExecutionAsync(
            start.ExecutionId,
            new ExecutionTransition { To = ExecutionStatus.ForceCancelling, ExpectedFrom = [ExecutionStatus.Started] },
            TestContext.Current.CancellationToken));
        // The engine notices the request at its next cancel poll, however late it arms that poll; nothing answers the
        // held operation, so only the force cancel can end the run.
        await h.AdvanceEachWaitUntilAsync(run, h.Options.CancelPollInterval, $"execution {start.ExecutionId} to stop waiting for db_1's create");

        var execution = await run;
        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.Equal("workflow_cancelled", (await h.EventsOfAsync(start.ExecutionId))[^1].EventType);
        Assert.Single(agent.Deliveries, d => d.Key == "db_1:" + Lc + "create");
    }

    [Fact]
    public async Task Install_IgnoresDuplicateReply_WhenAgentAnswersTwice()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "db_1:" + Lc + "create" ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var held = agent.WhenReceived("db_1:" + Lc + "create");

        var run = h.RunAsync(start);
        var delivery = await held.Within("the held operation to reach the agent");
        // A redelivered task is answered again with the same outcome; replies may be handled in any order.
        await agent.ReplyAsync(delivery, FakeAgent.Success());
        await agent.ReplyAsync(delivery, FakeAgent.Success());
        var execution = await run;

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Single(events, e => e.EventType == "task_succeeded" && e.Operation == Lc + "create" && e.NodeInstanceId == "db_1");
        Assert.DoesNotContain(events, e => e.EventType == "task_failed");
        Assert.Single(agent.Deliveries, d => d.Key == "db_1:" + Lc + "create");
    }

    [Fact]
    public async Task Install_ResumesStoredGraphResendingOnlyTheInFlightOperation_WhenEngineRestarted()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "app_1:" + Lc + "configure" ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var held = agent.WhenReceived("app_1:" + Lc + "configure");
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var first = h.NewEngine().RunAsync(start.ExecutionId, start, null, crash.Token);
        await held.Within("the held operation to reach the agent");
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within("the first engine to stop after its crash token fired"));
        Assert.Equal(ExecutionStatus.Started, (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!.Status);
        var sentBefore = agent.Deliveries.Count;

        var resent = agent.WhenReceived("app_1:" + Lc + "configure", occurrence: 2);
        var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
        // Reply only once the resumed engine has re-sent the in-flight task, so the order asserted below is fixed.
        await agent.ReplyAsync(await resent.Within("the resumed engine to re-send the in-flight operation"), FakeAgent.Success());
        await resumed.Within($"the resumed execution {start.ExecutionId} to end terminated");

        var execution = (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!;
        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.All(agent.Order.Take(sentBefore).GroupBy(k => k), g => Assert.Single(g));
        Assert.Equal(
            ["app_1:" + Lc + "configure", "app_1:" + Lc + "start", "db_1:cloudify.interfaces.relationship_lifecycle.establish"],
            agent.Order.Skip(sentBefore));
        Assert.Contains((await h.EventsOfAsync(start.ExecutionId)), e => e.Message == "Resuming 'install' workflow execution");
        var resentToken = agent.Deliveries[^1].Context["execution_token"]!.GetValue<string>();
        Assert.NotEqual(start.ExecutionToken, resentToken);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resentToken))),
            execution.TokenHash);
        Assert.Single(await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Install_FailsAfterWaitAfterFail_WhenAnotherOperationNeverReplies()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key switch
        {
            "host_1:" + Lc + "create" => null,
            "db_1:" + Lc + "create" => FakeAgent.Failure(TaskError.NonRecoverable, "disk full"),
            _ => FakeAgent.Success(),
        });
        var start = await h.CreateExecutionAsync("install");
        var failed = h.Memory.WhenEvent(e => e.EventType == "task_failed" && e.NodeInstanceId == "db_1");

        var run = h.RunAsync(start);
        await failed.Within("db_1 create to be stored as task_failed");
        Assert.False(run.IsCompleted, "the run should still wait for host_1's create after db_1 failed");
        h.Time.Advance(h.Options.WaitAfterFail);
        var execution = await run;

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("db_1:" + Lc + "create", execution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FailsExecutionWithReason_WhenWorkflowIsNotBuiltIn()
    {
        await using var h = EngineHarness.ThreeTier();
        var start = await h.CreateExecutionAsync("validate_agents");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("'validate_agents'", execution.Error, StringComparison.Ordinal);
        Assert.Equal("workflow_failed", (await h.EventsOfAsync(start.ExecutionId))[^1].EventType);
    }

    [Fact]
    public async Task Run_LeavesFinishedExecutionAlone_WhenStartMessageIsRedelivered()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        await h.RunAsync(start);
        var sent = agent.Deliveries.Count;
        var events = (await h.EventsOfAsync(start.ExecutionId)).Count;

        var again = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, again.Status);
        Assert.Equal(sent, agent.Deliveries.Count);
        Assert.Equal(events, (await h.EventsOfAsync(start.ExecutionId)).Count);
    }

    [Fact]
    public async Task Uninstall_ContinuesPastFailuresWithoutRetrying_WhenIgnoreFailureIsSet()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "app_1:" + Lc + "stop" ? FakeAgent.Failure(TaskError.Recoverable, "still running") : FakeAgent.Success());
        await h.RunAsync(await h.CreateExecutionAsync("install"));

        var start = await h.CreateExecutionAsync("uninstall", new System.Text.Json.Nodes.JsonObject { ["ignore_failure"] = true });
        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Single(agent.Deliveries, d => d.Key == "app_1:" + Lc + "stop");
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Deleted, s));
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Contains(events, e => e.NodeInstanceId == "app_1" && e.Message == "Ignoring task script_runner.tasks.run failure");
        Assert.Contains(events, e => e.EventType == "task_failed" && e.Message == "Task failed 'script_runner.tasks.run' -> still running");
    }

    [Fact]
    public async Task Uninstall_Fails_WhenOperationFailsWithoutIgnoreFailure()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "stop" ? FakeAgent.Failure(TaskError.NonRecoverable, "cannot stop") : FakeAgent.Success());
        await h.RunAsync(await h.CreateExecutionAsync("install"));

        var execution = await h.RunAsync(await h.CreateExecutionAsync("uninstall"));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        var states = await h.InstanceStatesAsync();
        Assert.Equal(NodeInstanceState.Stopping, states["db_1"]);
        Assert.Equal(NodeInstanceState.Deleted, states["app_1"]);
    }
}
