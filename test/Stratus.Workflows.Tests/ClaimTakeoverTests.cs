using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Graph;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// Operation attempts claimed by agents: a resumed run on a durable broker sends again, under the same attempt, an
/// operation that a manager's own agent claimed when that manager is gone; a restored task goes on from its claims.
/// </summary>
public sealed class ClaimTakeoverTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResumedRun_ResendsTheSameAttempt_OnlyOnceTheManagerWhoseAgentClaimedItIsGone()
    {
        await using var h = EngineHarness.ThreeTier();
        var durable = new DurableBroker(h.Broker);
        string? heldKey = null;
        DateTimeOffset? resentAt = null;
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
        {
            if (Interlocked.CompareExchange(ref heldKey, d.Key, null) is null)
            {
                return null;
            }

            if (d.Key == heldKey)
            {
                resentAt ??= h.Time.GetUtcNow();
            }

            return FakeAgent.Success();
        });
        using var install = await HeldInstall.StartAsync(h, durable, agent);
        var (start, pending, taskId) = (install.Start, install.Pending, install.TaskId);
        // The agent inside manager m-gone claims it, then that manager dies with the run (kill -9).
        var claimedAt = h.Time.GetUtcNow();
        await h.Store.UpsertManagerAsync(Manager("m-gone", claimedAt), Token);
        var claim = await h.Store.ClaimOperationAsync(
            new OperationClaim { TenantName = "default_tenant", OperationId = taskId, Attempt = 0, ClaimId = "m-gone-agent", ManagerName = "m-gone", ClaimedAt = claimedAt },
            claimedAt,
            Token);
        await install.CrashAsync();

        var resumed = Engine(h, durable).RunAsync(start.ExecutionId, null, null, Token);
        await AdvanceUntilAsync(h, resumed, $"the resumed execution {start.ExecutionId} to end");

        var execution = await h.Store.GetExecutionAsync(null, start.ExecutionId, Token);
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal(OperationClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(ExecutionStatus.Terminated, execution?.Status);
        Assert.Equal([0, 0], agent.Deliveries.Where(d => d.Key == pending.Key).Select(d => d.RetryNumber));
        Assert.True(resentAt >= claimedAt + h.Options.ClaimHolderTimeout, $"re-sent at {resentAt:O}, claimed at {claimedAt:O}: before the manager was gone");
        Assert.Single(events, e => e.EventType == "sending_task" && $"{e.NodeInstanceId}:{e.Operation}" == pending.Key);
        Assert.Single(events, e => e.EventType == "workflow_node_event" && e.Message.Contains("the manager whose agent was running it is gone", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pending", null, 0)]
    [InlineData("pending", 2, 3)]
    [InlineData("sending", 2, 3)]
    [InlineData("sent", 2, 2)]
    [InlineData("started", 4, 4)]
    public void RestoredTask_GoesOnFromItsLastClaimedAttempt(string state, int? claimed, int expected)
    {
        var record = new GraphTask { Id = "t", Type = TaskTypes.Remote, Name = "op" }
            .ToRecord("g", "default_tenant", null, DateTimeOffset.UnixEpoch) with { State = state, ClaimedAttempt = claimed };

        Assert.Equal(expected, GraphTask.FromRecord(record).CurrentRetries);
    }

    private static WorkflowEngine Engine(EngineHarness h, IMessageBroker broker) => h.NewEngine(broker);

    private static ManagerRecord Manager(string name, DateTimeOffset at) => ManagerHeartbeats.Row(name, at, at);

    /// <summary>Moves fake time an agent check at a time until <paramref name="done"/> completes (bounded).</summary>
    private static Task AdvanceUntilAsync(EngineHarness h, Task done, string expectation) =>
        h.AdvanceInStepsUntilAsync(done, TimeSpan.FromSeconds(1), expectation);
}
