using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// Blueprint workflows implemented by a script: the engine sends the script task to the management agent and runs the
/// operations the script asks for as tasks of the same stored graph. The test plays the script's side of the
/// protocol (requests on the execution's queue, answers on its own reply queue).
/// </summary>
public sealed class ScriptWorkflowTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const string Workflow = "my_wf";

    [Fact]
    public async Task ScriptWorkflow_RunsRequestedOperationAndAnswersScript_ThenSucceeds()
    {
        await using var h = Harness();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Operation == Workflow ? null : FakeAgent.Returning(JsonValue.Create("ok-" + d.NodeInstanceId)));
        var start = await h.CreateExecutionAsync(Workflow, new JsonObject { ["script_path"] = "scripts/wf.sh", ["greeting"] = "hi" });
        var scriptTask = agent.WhenReceived(":" + Workflow);

        var run = h.RunAsync(start);
        var script = await scriptTask.Within("the workflow script task to reach the management agent");
        await using var line = await ScriptLine.OpenAsync(h.Broker, start.ExecutionId, ScriptTaskId(script));
        var answer = await line.ExecuteAsync("app_1", Lc + "start").Within("the answer to the script's execute_operation");
        await agent.ReplyAsync(script, FakeAgent.Success());
        var execution = await run;

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.True(answer.Ok, answer.Error?.Message);
        Assert.Equal("ok-app_1", answer.Result?.GetValue<string>());
        Assert.Equal("scripts/wf.sh", script.Kwargs["script_path"]?.GetValue<string>());
        Assert.Equal("hi", script.Kwargs["greeting"]?.GetValue<string>());
        Assert.Equal("central_deployment_agent", script.Context["executor"]?.GetValue<string>());
        Assert.Equal([":" + Workflow, "app_1:" + Lc + "start"], agent.Order);
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal(["workflow_started", "sending_task", "task_succeeded", "workflow_succeeded"], events.Select(e => e.EventType));
        Assert.All(events.Where(e => e.EventType is "sending_task" or "task_succeeded"), e => Assert.Equal("app_1", e.NodeInstanceId));
        var operations = await h.OperationsOfAsync(start.ExecutionId);
        Assert.Equal(2, operations.Count);
        Assert.All(operations, o => Assert.Equal("succeeded", o.State));
        Assert.Equal(2, execution.TotalOperations);
    }

    [Fact]
    public async Task ScriptWorkflow_AnswersFailureWithoutFailingWorkflow_WhenRequestedOperationFailsForGood()
    {
        await using var h = Harness();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Operation == Workflow ? null : FakeAgent.Failure(TaskError.NonRecoverable, "disk full"));
        var start = await h.CreateExecutionAsync(Workflow, new JsonObject { ["script_path"] = "scripts/wf.sh" });
        var scriptTask = agent.WhenReceived(":" + Workflow);

        var run = h.RunAsync(start);
        var script = await scriptTask.Within("the workflow script task to reach the management agent");
        await using var line = await ScriptLine.OpenAsync(h.Broker, start.ExecutionId, ScriptTaskId(script));
        var failed = await line.ExecuteAsync("db_1", Lc + "create").Within("the answer to a failing operation");
        var nop = await line.ExecuteAsync("db_1", Lc + "precreate").Within("the answer to an operation the node does not define");
        var missing = await line.ExecuteAsync("nope_1", Lc + "create").Within("the answer for an unknown instance");
        await agent.ReplyAsync(script, FakeAgent.Success());
        var execution = await run;

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.False(failed.Ok);
        Assert.Equal("disk full", failed.Error?.Message);
        Assert.Equal(TaskError.NonRecoverable, failed.Error?.KnownExceptionType);
        Assert.True(nop.Ok);
        Assert.Null(nop.Result);
        Assert.False(missing.Ok);
        Assert.Equal("Node instance nope_1 not found in deployment dep", missing.Error?.Message);
        Assert.Contains(await h.EventsOfAsync(start.ExecutionId), e => e.EventType == "task_failed" && e.NodeInstanceId == "db_1");
    }

    [Fact]
    public async Task ScriptWorkflow_RunsScriptButNotItsOperations_WhenDryRun()
    {
        await using var h = Harness();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Operation == Workflow ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync(Workflow, new JsonObject { ["script_path"] = "scripts/wf.sh" }, dryRun: true);
        var scriptTask = agent.WhenReceived(":" + Workflow);

        var run = h.RunAsync(start);
        var script = await scriptTask.Within("the workflow script task to reach the agent in a dry run");
        await using var line = await ScriptLine.OpenAsync(h.Broker, start.ExecutionId, ScriptTaskId(script));
        var answer = await line.ExecuteAsync("app_1", Lc + "start").Within("the answer to a dry-run operation");
        await agent.ReplyAsync(script, FakeAgent.Success());
        var execution = await run;

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.True(answer.Ok);
        Assert.Equal([":" + Workflow], agent.Order);
        Assert.Contains(await h.EventsOfAsync(start.ExecutionId), e => e.EventType == "task_succeeded" && e.NodeInstanceId == "app_1" && e.Message!.EndsWith(" (dry run)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScriptWorkflow_FailsWithScriptError_WhenScriptFails()
    {
        await using var h = Harness();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Failure(TaskError.NonRecoverable, "command: wf.sh, exit_code: 3"));
        var start = await h.CreateExecutionAsync(Workflow, new JsonObject { ["script_path"] = "scripts/wf.sh" });

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("exit_code: 3", execution.Error, StringComparison.Ordinal);
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal(["workflow_started", "workflow_failed"], events.Select(e => e.EventType));
        Assert.Single(agent.Deliveries);
    }

    [Fact]
    public async Task ScriptWorkflow_FailsNamingTheMapping_WhenWorkflowIsNotAScript()
    {
        await using var h = EngineHarness.ThreeTier(d => d with
        {
            Workflows = new JsonObject { ["other"] = new JsonObject { ["plugin"] = "acme", ["operation"] = "acme.tasks.run", ["parameters"] = new JsonObject() } },
        });
        var start = await h.CreateExecutionAsync("other");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("'other' is mapped to acme.acme.tasks.run", execution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptWorkflow_StopsScriptAndEndsCancelled_WhenCancelled()
    {
        await using var h = Harness();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => null);
        var control = QueueNames.Service(QueueNames.Management);
        await h.Broker.DeclareQueueAsync(control, QueueOptions.Default, TestContext.Current.CancellationToken);
        var stop = new TaskCompletionSource<KillExecutionMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var consumer = await h.Broker.ConsumeAsync(
            control,
            async (m, ct) =>
            {
                stop.TrySetResult(KillExecutionMessage.FromBody(m.Body.Span));
                await m.AckAsync(ct);
            },
            prefetch: 1,
            TestContext.Current.CancellationToken);
        var start = await h.CreateExecutionAsync(Workflow, new JsonObject { ["script_path"] = "scripts/wf.sh" });
        var scriptTask = agent.WhenReceived(":" + Workflow);

        var run = h.RunAsync(start);
        var script = await scriptTask.Within("the workflow script task to reach the management agent");
        Assert.True(await h.Store.TryTransitionExecutionAsync(
            start.ExecutionId,
            new ExecutionTransition { To = ExecutionStatus.Cancelling, ExpectedFrom = [ExecutionStatus.Started] },
            TestContext.Current.CancellationToken));
        await h.AdvanceEachWaitUntilAsync(stop.Task, h.Options.CancelPollInterval, "the engine to tell the agent to stop the script");
        var kill = await stop.Task;
        await using var line = await ScriptLine.OpenAsync(h.Broker, start.ExecutionId, ScriptTaskId(script));
        var refused = await line.ExecuteAsync("app_1", Lc + "start").Within("the answer to a request made while cancelling");
        await agent.ReplyAsync(script, FakeAgent.Failure(TaskError.NonRecoverable, "Stopped: execution was cancelled"));
        var execution = await run;

        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.Equal((start.ExecutionId, ScriptTaskId(script)), (kill.ExecutionId, kill.TaskId));
        Assert.False(refused.Ok);
        Assert.Contains("is being cancelled", refused.Error?.Message, StringComparison.Ordinal);
        Assert.Single(agent.Deliveries);
    }

    [Fact]
    public async Task ScriptWorkflow_DoesNotRunCompletedOperationAgain_WhenScriptReRunsAfterRestart()
    {
        await using var h = Harness();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Operation == Workflow ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync(Workflow, new JsonObject { ["script_path"] = "scripts/wf.sh" });
        var firstScript = agent.WhenReceived(":" + Workflow);
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var first = h.NewEngine().RunAsync(start.ExecutionId, start, null, crash.Token);
        var script = await firstScript.Within("the workflow script task to reach the management agent");
        await using (var line = await ScriptLine.OpenAsync(h.Broker, start.ExecutionId, ScriptTaskId(script)))
        {
            Assert.True((await line.ExecuteAsync("app_1", Lc + "start").Within("the first run's operation")).Ok);
        }

        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within("the first engine to stop after its crash token fired"));
        var secondScript = agent.WhenReceived(":" + Workflow, occurrence: 2);
        var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
        var again = await secondScript.Within("the resumed engine to re-send the in-flight script");
        await using (var line = await ScriptLine.OpenAsync(h.Broker, start.ExecutionId, ScriptTaskId(again)))
        {
            Assert.True((await line.ExecuteAsync("app_1", Lc + "start").Within("the re-run script's same request")).Ok);
            Assert.True((await line.ExecuteAsync("app_1", Lc + "start").Within("a second request of the same operation")).Ok);
        }

        await agent.ReplyAsync(again, FakeAgent.Success());
        await resumed.Within("the resumed script workflow to end");

        Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(2, agent.Order.Count(k => k == "app_1:" + Lc + "start"));
        Assert.Equal(3, (await h.OperationsOfAsync(start.ExecutionId)).Count);
    }

    private static EngineHarness Harness() => EngineHarness.ThreeTier(d => d with
    {
        Workflows = new JsonObject
        {
            [Workflow] = new JsonObject
            {
                ["plugin"] = "script",
                ["operation"] = QueueNames.ExecuteWorkflowTask,
                ["parameters"] = new JsonObject { ["script_path"] = new JsonObject { ["default"] = "scripts/wf.sh" } },
            },
        },
    });

    private static string ScriptTaskId(Delivery script) => script.Context["task_id"]!.GetValue<string>();

    /// <summary>The script's side of the protocol: requests on the execution's queue, answers on a private reply queue.</summary>
    private sealed class ScriptLine : IAsyncDisposable
    {
        private readonly Stratus.Messaging.InProcess.InProcessBroker _broker;
        private readonly string _executionId;
        private readonly string _scriptTaskId;
        private readonly string _replies;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<TaskResponse>> _waiting = new();
        private IAsyncDisposable? _consumer;

        private ScriptLine(Stratus.Messaging.InProcess.InProcessBroker broker, string executionId, string scriptTaskId)
        {
            _broker = broker;
            _executionId = executionId;
            _scriptTaskId = scriptTaskId;
            _replies = QueueNames.WorkflowScriptReplies(scriptTaskId, Guid.NewGuid().ToString("N"));
        }

        public static async Task<ScriptLine> OpenAsync(Stratus.Messaging.InProcess.InProcessBroker broker, string executionId, string scriptTaskId)
        {
            var line = new ScriptLine(broker, executionId, scriptTaskId);
            await broker.DeclareQueueAsync(line._replies, QueueOptions.Default);
            line._consumer = await broker.ConsumeAsync(
                line._replies,
                async (m, ct) =>
                {
                    line._waiting[m.CorrelationId!].TrySetResult(JsonSerializer.Deserialize<TaskResponse>(m.Body.Span)!);
                    await m.AckAsync(ct);
                },
                prefetch: 4);
            return line;
        }

        public async Task<TaskResponse> ExecuteAsync(string instanceId, string operation)
        {
            var id = Guid.NewGuid().ToString("N");
            var answer = _waiting[id] = new TaskCompletionSource<TaskResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = new WorkflowRequest { ScriptTaskId = _scriptTaskId, NodeInstanceId = instanceId, Operation = operation };
            await _broker.PublishAsync(
                QueueNames.ExecutionResponses(_executionId),
                new OutgoingMessage { Body = request.ToBody(), CorrelationId = id, MessageId = id, ReplyTo = _replies });
            return await answer.Task;
        }

        public async ValueTask DisposeAsync()
        {
            if (_consumer is not null)
            {
                await _consumer.DisposeAsync();
            }

            await _broker.DeleteQueueAsync(_replies);
        }
    }
}
