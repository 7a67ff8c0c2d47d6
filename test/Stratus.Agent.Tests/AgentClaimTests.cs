using System.Net;
using Stratus.Agent.Manager;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent.Tests;

/// <summary>
/// Two agent processes (two hosts, each with its own TaskProcessor and claim id) sharing one manager: a task delivered
/// to both runs once, because each claims the attempt at the manager before running it.
/// </summary>
public sealed class AgentClaimTests : IAsyncLifetime
{
    private readonly AgentRig _rig = new();
    private readonly string _first = "agent-a-" + Guid.NewGuid().ToString("N");
    private readonly string _second = "agent-b-" + Guid.NewGuid().ToString("N");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _rig.StartAgentAsync(_first);
        await _rig.StartAgentAsync(_second);
    }

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    [Fact]
    public async Task SameAttemptDeliveredToTwoAgents_RunsOnce_AndTheLoserAcksWithoutReplying()
    {
        _rig.Harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        _rig.Harness.Manager.AddResource("scripts/next.sh", "#!/bin/bash\nctx returns next\n");
        var task = AgentRig.NewTask("scripts/once.sh");
        var refused = WhenClaimed(task.Id, granted: false);

        await _rig.PublishAsync(_first, task);
        var (message, response) = await _rig.Replies.NextAsync($"the first agent's reply to task {task.Id}");
        await _rig.PublishAsync(_second, task);
        await refused.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        // Anything the loser sent would come before the reply to a task sent to it afterwards.
        var next = AgentRig.NewTask("scripts/next.sh");
        await _rig.PublishAsync(_second, next);
        var (after, _) = await _rig.Replies.NextAsync($"the second agent's reply to task {next.Id}");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal(task.Id, message.CorrelationId);
        Assert.Equal(next.Id, after.CorrelationId);
        Assert.Equal("x", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        Assert.Equal([true, false], _rig.Harness.Manager.ClaimRequests.Where(c => c.OperationId == task.Id).Select(c => c.Granted));
        Assert.Equal(0, _rig.Broker.GetReadyCount(QueueNames.Operations(_second)));
    }

    [Fact]
    public async Task RefusedCopy_IsNotRemembered_SoACopyAfterTheHolderIsGoneIsTakenOverAndRuns()
    {
        _rig.Harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        var task = AgentRig.NewTask("scripts/once.sh");
        await _rig.PublishAsync(_first, task);
        await _rig.Replies.NextAsync($"the first agent's reply to task {task.Id}");
        var refused = WhenClaimed(task.Id, granted: false);
        await _rig.PublishAsync(_second, task);
        await refused.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        // The run released the claim (the holder's manager is gone): the agent that was refused takes the attempt over.
        _rig.Harness.Manager.DropClaim(task.Id);
        await _rig.PublishAsync(_second, task);
        var (message, response) = await _rig.Replies.NextAsync($"the second agent's reply to task {task.Id} once taken over");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal(task.Id, message.CorrelationId);
        Assert.Equal([true, false, true], _rig.Harness.Manager.ClaimRequests.Where(c => c.OperationId == task.Id).Select(c => c.Granted));
        Assert.Equal("xx", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
    }

    [Fact]
    public async Task NextAttemptOnTheOtherAgent_IsClaimedAndRuns()
    {
        _rig.Harness.Manager.AddResource("scripts/count.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        var first = AgentRig.NewTask("scripts/count.sh");

        await _rig.PublishAsync(_first, first);
        await _rig.Replies.NextAsync("the reply to attempt 0");
        await _rig.PublishAsync(_second, AgentRig.WithRetryNumber(first, 1), first.Id + ".retry-1");
        var (message, response) = await _rig.Replies.NextAsync("the reply to attempt 1 on the other agent");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal(first.Id + ".retry-1", message.CorrelationId);
        Assert.Equal("xx", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
    }

    [Fact]
    public async Task ManagerUnreachableWhileClaiming_IsAskedAgain_ThenTheTaskRunsOnce()
    {
        _rig.Harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        _rig.Harness.Manager.ClaimFailures.Enqueue(new ManagerApiException("No manager could be reached (simulated)", new HttpRequestException("refused")));
        _rig.Harness.Manager.ClaimFailures.Enqueue(new ManagerApiException(HttpStatusCode.ServiceUnavailable, null, "database restarting (simulated)"));
        var task = AgentRig.NewTask("scripts/once.sh");

        await _rig.PublishAsync(_first, task);
        var (_, response) = await _rig.Replies.NextAsync($"the reply to task {task.Id} after two failed claims");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal("x", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        Assert.Equal([true], _rig.Harness.Manager.ClaimRequests.Select(c => c.Granted));
    }

    [Fact]
    public async Task ClaimRefusedAsNotFound_RepliesNonRecoverable_WithoutRunning()
    {
        _rig.Harness.Manager.ClaimFailures.Enqueue(new ManagerApiException(HttpStatusCode.NotFound, "not_found_error", "Requested `Operation` was not found"));
        var task = AgentRig.NewTask("scripts/never.sh");

        await _rig.PublishAsync(_first, task);
        var (_, response) = await _rig.Replies.NextAsync($"the reply to task {task.Id}");

        Assert.False(response.Ok);
        Assert.Equal(TaskError.NonRecoverable, response.Error?.KnownExceptionType);
        Assert.Contains("Could not claim operation", response.Error?.Message, StringComparison.Ordinal);
        Assert.Null(_rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]);
    }

    [Fact]
    public async Task FinishedAttemptRedeliveredToItsAgentStartedAgain_IsRefused_AndAckedWithoutRunningOrReplying()
    {
        _rig.Harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        _rig.Harness.Manager.AddResource("scripts/next.sh", "#!/bin/bash\nctx returns next\n");
        var task = AgentRig.NewTask("scripts/once.sh");
        await _rig.PublishAsync(_first, task);
        await _rig.Replies.NextAsync($"the reply to task {task.Id}");
        // The engine stored the reply; the agent died before its ack, so the broker delivers the attempt again to the
        // same agent started anew (same name, so the same claimant, and no memory of what it ran).
        _rig.Harness.Manager.FinishAttempt(task.Id, 0);
        await _rig.StopAgentAsync(_first);
        await _rig.StartAgentAsync(_first);
        var refused = WhenClaimed(task.Id, granted: false);

        await _rig.PublishAsync(_first, task);
        await refused.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        var next = AgentRig.NewTask("scripts/next.sh");
        await _rig.PublishAsync(_first, next);
        var (after, _) = await _rig.Replies.NextAsync($"the restarted agent's reply to task {next.Id}");

        Assert.Equal(next.Id, after.CorrelationId);
        Assert.Equal("x", _rig.Harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        var claims = _rig.Harness.Manager.ClaimRequests.Where(c => c.OperationId == task.Id).ToList();
        Assert.Equal([true, false], claims.Select(c => c.Granted));
        Assert.Equal(claims[0].ClaimId, claims[1].ClaimId);
        Assert.Equal(0, _rig.Broker.GetReadyCount(QueueNames.Operations(_first)));
    }

    private Task WhenClaimed(string operationId, bool granted)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rig.Harness.Manager.AfterClaim = (id, g) =>
        {
            if (id == operationId && g == granted)
            {
                done.TrySetResult();
            }
        };
        return done.Task;
    }
}
