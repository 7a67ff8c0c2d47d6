using System.Text;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent.Tests;

/// <summary>The agent as the workflow engine sees it: tasks in on its queue, replies out on the reply queue.</summary>
public sealed class AgentServiceTests : IAsyncLifetime
{
    private readonly AgentRig _rig = new();
    private readonly string _agentName = "agent-" + Guid.NewGuid().ToString("N");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_rig.StartAgentAsync(_agentName, parallelism: 2));

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    [Fact]
    public async Task ScriptTask_RepliesOkWithResult_ToReplyQueueWithTaskIdAsCorrelationId()
    {
        _rig.Harness.Manager.AddResource("scripts/create.sh", "#!/bin/bash\nctx instance runtime-properties said \"$w\"\nctx returns done\n");
        var task = AgentRig.NewTask("scripts/create.sh", new JsonObject { ["w"] = "yo" });

        await PublishAsync(task);
        var (message, response) = await _rig.Replies.NextAsync($"the reply to task {task.Id}");

        Assert.Equal(task.Id, message.CorrelationId);
        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal("done", response.Result?.GetValue<string>());
        Assert.Equal("yo", _rig.Harness.Manager.RuntimeProperties("vm_1")["said"]?.GetValue<string>());
    }

    [Fact]
    public async Task DuplicateDelivery_GetsTheStoredReply_WithoutRunningTheScriptAgain()
    {
        _rig.Harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        var task = AgentRig.NewTask("scripts/once.sh");

        await PublishAsync(task);
        var first = await _rig.Replies.NextAsync("the reply to the first delivery");
        await PublishAsync(task);
        var second = await _rig.Replies.NextAsync("the reply to the duplicate delivery");

        Assert.True(first.Response.Ok && second.Response.Ok, second.Response.Error?.Message);
        Assert.Equal(task.Id, second.Message.CorrelationId);
        Assert.Equal(1, _rig.Harness.Manager.PatchCount);
        Assert.Equal("x", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
    }

    [Fact]
    public async Task FailedAttemptDeliveredAgain_GetsTheStoredFailure_WithoutRunningTheScriptAgain()
    {
        // The manager grants the same claimant its attempt again until the engine stores its end, so only the agent's
        // memory keeps a redelivered copy of a failed attempt from running a second time.
        _rig.Harness.Manager.AddResource("scripts/fails.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\necho broken >&2\nexit 3\n");
        var task = AgentRig.NewTask("scripts/fails.sh");

        await PublishAsync(task);
        var first = await _rig.Replies.NextAsync("the failure of the first delivery");
        await PublishAsync(task);
        var second = await _rig.Replies.NextAsync("the reply to the copy of the failed attempt");

        Assert.Equal("x", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        Assert.Single(_rig.Harness.Manager.ClaimRequests, c => c.OperationId == task.Id);
        Assert.False(first.Response.Ok);
        Assert.Equal(first.Response.Error?.Message, second.Response.Error?.Message);
        Assert.Equal(task.Id, second.Message.CorrelationId);
    }

    [Fact]
    public async Task CopyOfAnAttemptInFlight_WaitsForIt_ThenGetsItsReply_WithoutRunningAgain()
    {
        _rig.Harness.Manager.AddResource("scripts/held.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        var patching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rig.Harness.Manager.BeforePatch = _ => patching.TrySetResult();
        _rig.Harness.Manager.PatchGate = release.Task;
        var task = AgentRig.NewTask("scripts/held.sh");

        await PublishAsync(task);
        await patching.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel); // the first delivery's script is mid-run
        await PublishAsync(task);
        release.SetResult();
        // The copy is settled only once the run replied (after a channel loss it is the only delivery the broker holds):
        // it then gets the same reply instead of being dropped unanswered.
        var (first, firstResponse) = await _rig.Replies.NextAsync($"the reply to task {task.Id} once released");
        var (copy, copyResponse) = await _rig.Replies.NextAsync($"the copy's reply to task {task.Id}");

        Assert.Equal(task.Id, first.CorrelationId);
        Assert.Equal(task.Id, copy.CorrelationId);
        Assert.True(firstResponse.Ok, firstResponse.Error?.Message);
        Assert.True(copyResponse.Ok, copyResponse.Error?.Message);
        Assert.Equal("x", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        Assert.Single(_rig.Harness.Manager.ClaimRequests, c => c.OperationId == task.Id);
    }

    [Fact]
    public async Task RetryOfSameTask_RunsTheScriptAgain()
    {
        _rig.Harness.Manager.AddResource("scripts/count.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        var first = AgentRig.NewTask("scripts/count.sh");
        var retry = AgentRig.WithRetryNumber(first, 1);

        await PublishAsync(first, correlationId: first.Id);
        await _rig.Replies.NextAsync("the reply to the first attempt");
        await PublishAsync(retry, correlationId: first.Id + ".retry-1");
        var (message, response) = await _rig.Replies.NextAsync("the reply to the retry");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal(first.Id + ".retry-1", message.CorrelationId);
        Assert.Equal("xx", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
    }

    [Fact]
    public async Task FailingScript_RepliesErrorWithKnownExceptionType()
    {
        _rig.Harness.Manager.AddResource("scripts/wait.sh", "#!/bin/bash\nctx retry-operation 'db not up' @30\n");
        var task = AgentRig.NewTask("scripts/wait.sh");

        await PublishAsync(task);
        var (_, response) = await _rig.Replies.NextAsync("the retry reply");

        Assert.False(response.Ok);
        Assert.Equal(TaskError.OperationRetry, response.Error?.KnownExceptionType);
        Assert.Equal("db not up", response.Error?.Message);
        Assert.Equal(30, response.Error?.KnownExceptionTypeArgs?[0]?.GetValue<double>());
    }

    [Fact]
    public async Task UnreachableManager_RepliesRecoverableError_SoTheEngineRetries()
    {
        _rig.Harness.Manager.DownloadFailure = new HttpRequestException("Connection refused (127.0.0.1:1)");
        var task = AgentRig.NewTask("scripts/any.sh");

        await PublishAsync(task);
        var (_, response) = await _rig.Replies.NextAsync("the reply when the manager cannot be reached");

        Assert.False(response.Ok);
        Assert.Equal(TaskError.Recoverable, response.Error?.KnownExceptionType);
        Assert.Contains("Connection refused", response.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTaskName_RepliesNonRecoverableNotFound()
    {
        var task = AgentRig.NewTask("scripts/none.sh", taskName: "some_plugin.tasks.create");

        await PublishAsync(task);
        var (_, response) = await _rig.Replies.NextAsync("the reply to an unknown task");

        Assert.False(response.Ok);
        Assert.Equal(TaskError.NonRecoverable, response.Error?.KnownExceptionType);
        Assert.Contains("not found", response.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_OnTheServiceQueue_IsAnsweredWithTheTime_ThroughTheAgentsExchange()
    {
        var replyQueue = _agentName + "_response_p1";
        await _rig.Broker.DeclareTemporaryQueueAsync(replyQueue, Cancel);
        var pongs = new ReplyInbox();
        await using var listening = await pongs.ListenAsync(_rig.Broker, replyQueue, Cancel);
        await _rig.Broker.BindReplyQueueAsync(replyQueue, _agentName, Cancel);
        await _rig.Broker.PublishAsync(
            QueueNames.Service(_agentName),
            new OutgoingMessage { Body = ServiceTaskMessage.ForPing().ToBody(), CorrelationId = "p2", ReplyTo = replyQueue },
            Cancel);

        var pong = await pongs.NextRawAsync("the answer to the ping");

        Assert.Equal("p2", pong.CorrelationId);
        Assert.True(ServiceTaskMessage.IsPingReply(pong.Body.Span), System.Text.Encoding.UTF8.GetString(pong.Body.Span));
    }

    [Fact]
    public async Task KillMessage_StopsTheRunningScript_AndDropsTheExecutionsQueuedOperations()
    {
        _rig.Harness.Manager.AddResource("scripts/hang.sh", "#!/bin/bash\necho hanging now\nsleep 300\n");
        _rig.Harness.Manager.AddResource("scripts/later.sh", "#!/bin/bash\nctx instance runtime-properties later yes\n");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rig.Harness.Manager.AfterPost = _ =>
        {
            if (_rig.Harness.Manager.LogTexts.Any(t => t.Contains("hanging now", StringComparison.Ordinal)))
            {
                started.TrySetResult();
            }
        };
        var hanging = AgentRig.NewTask("scripts/hang.sh");
        await PublishAsync(hanging);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel); // the script's first output line was logged

        await _rig.Broker.PublishAsync(
            QueueNames.Service(_agentName), new OutgoingMessage { Body = new KillExecutionMessage { ExecutionId = "exec-1" }.ToBody() }, Cancel);
        var (message, killed) = await _rig.Replies.NextAsync("the killed operation's reply (the script sleeps 300 s)");
        var later = AgentRig.NewTask("scripts/later.sh");
        await PublishAsync(later);
        var (_, dropped) = await _rig.Replies.NextAsync("the reply to an operation of the killed execution");

        Assert.Equal(hanging.Id, message.CorrelationId);
        Assert.False(killed.Ok);
        Assert.Equal(TaskError.NonRecoverable, killed.Error?.KnownExceptionType);
        Assert.Equal("Operation killed: execution exec-1 was kill-cancelled", killed.Error?.Message);
        Assert.Equal("Operation killed: execution exec-1 was kill-cancelled", dropped.Error?.Message);
        Assert.False(_rig.Harness.Manager.RuntimeProperties("vm_1").ContainsKey("later"));
    }

    [Fact]
    public async Task UnreadableMessage_IsDeadLettered()
    {
        var queue = QueueNames.Operations(_agentName);
        var dead = new TaskCompletionSource<IncomingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var deadConsumer = await _rig.Broker.ConsumeAsync(
            DeadLetter.QueueFor(queue), (m, _) => { dead.TrySetResult(m); return Task.CompletedTask; }, 1, Cancel);

        await _rig.Broker.PublishAsync(queue, new OutgoingMessage { Body = Encoding.UTF8.GetBytes("not json"), MessageId = "garbage" }, Cancel);

        var message = await dead.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        Assert.Equal("garbage", message.MessageId);
    }

    private Task PublishAsync(TaskMessage task, string? correlationId = null) => _rig.PublishAsync(_agentName, task, correlationId);
}
