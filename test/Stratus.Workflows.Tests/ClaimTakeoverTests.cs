using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
        var start = await h.CreateExecutionAsync("install");
        using var crash = new CancellationTokenSource();
        var first = agent.WhenAny(_ => true);
        var run = Engine(h, durable).RunAsync(start.ExecutionId, start, null, crash.Token);
        var pending = await first.Within("the first operation to reach the agent");
        var taskId = pending.Context["task_id"]!.GetValue<string>();
        await h.Memory.WhenOperationState(taskId, "sent").Within($"operation {taskId} to be stored as sent");
        // The agent inside manager m-gone claims it, then that manager dies with the run (kill -9).
        var claimedAt = h.Time.GetUtcNow();
        await h.Store.UpsertManagerAsync(Manager("m-gone", claimedAt), Token);
        var claim = await h.Store.ClaimOperationAsync(
            new OperationClaim { TenantName = "default_tenant", OperationId = taskId, Attempt = 0, ClaimId = "m-gone-agent", ManagerName = "m-gone", ClaimedAt = claimedAt },
            claimedAt,
            Token);
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

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

    private static WorkflowEngine Engine(EngineHarness h, IMessageBroker broker) =>
        new(h.Store, broker, h.Time, Options.Create(h.Options), h.NewQueue(), NullLogger<WorkflowEngine>.Instance);

    private static ManagerRecord Manager(string name, DateTimeOffset at) => new()
    {
        Name = name,
        Hostname = name,
        PrivateIp = "127.0.0.1",
        PublicIp = "127.0.0.1",
        Version = "7.1.0",
        Edition = "community",
        Distribution = "stratus",
        StartedAt = at,
        LastSeen = at,
        StatusReportFrequency = 5,
    };

    /// <summary>Moves fake time an agent check at a time until <paramref name="done"/> completes (bounded).</summary>
    private static async Task AdvanceUntilAsync(EngineHarness h, Task done, string expectation)
    {
        using var deadline = new CancellationTokenSource(EngineHarness.Timeout);
        while (!done.IsCompleted)
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {EngineHarness.Timeout.TotalSeconds:0}s (real) for {expectation}; it did not happen.");
            }

            h.Time.Advance(TimeSpan.FromSeconds(1));
            // The run loops on the thread pool: give it a moment of real time to react to the advanced clock.
            await Task.WhenAny(done, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, Token));
        }

        await done;
    }
}
