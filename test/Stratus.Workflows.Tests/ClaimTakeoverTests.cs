using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;
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
        var beats = Beats(h);
        var diesAt = h.Time.GetUtcNow();
        beats.Add("m-gone", at => at <= diesAt);
        await using var s = await StartHeldAsync(h, beats);
        // The agent inside manager m-gone claims it, then that manager dies with the run (kill -9).
        var claimedAt = await ClaimAndCrashAsync(h, s, "m-gone");

        var resumed = Engine(h, s.Broker).RunAsync(s.Start.ExecutionId, null, null, Token);
        await AdvanceUntilAsync(h, beats, resumed, $"the resumed execution {s.Start.ExecutionId} to end");

        var execution = await h.Store.GetExecutionAsync(null, s.Start.ExecutionId, Token);
        var events = await h.EventsOfAsync(s.Start.ExecutionId);
        Assert.Equal(ExecutionStatus.Terminated, execution?.Status);
        Assert.Equal([0, 0], s.Agent.Deliveries.Where(d => d.Key == s.Held.Key).Select(d => d.RetryNumber));
        Assert.True(s.ResentAt >= claimedAt + h.Options.ClaimHolderTimeout, $"re-sent at {s.ResentAt:O}, claimed at {claimedAt:O}: before the manager was gone");
        Assert.Single(events, e => e.EventType == "sending_task" && $"{e.NodeInstanceId}:{e.Operation}" == s.Held.Key);
        Assert.Single(events, e => e.EventType == "workflow_node_event" && e.Message.Contains(GoneMessage, StringComparison.Ordinal));
        // Released before the re-send, so an agent may take the attempt over (this test's agent runs it without claiming).
        var stored = await h.Store.GetOperationAsync(s.Held.Context["task_id"]!.GetValue<string>(), Token);
        Assert.Equal((0, null, "m-gone"), (stored?.ClaimedAttempt, stored?.ClaimedBy, stored?.ManagerName));
    }

    [Fact]
    public async Task ResumedRun_AfterADatabaseOutageLongerThanTheTimeout_DoesNotResend_WhileTheHoldersHeartbeatResumesWithinTheTimeout()
    {
        await using var h = EngineHarness.ThreeTier();
        var beats = Beats(h);
        var outage = (From: h.Time.GetUtcNow().AddSeconds(30), Until: h.Time.GetUtcNow().AddSeconds(70));
        // m-live's writer is in its own back-off when the database comes back: it beats again 7 s later (< 15 s).
        beats.Add("m-live", at => at < outage.From || at >= outage.Until.AddSeconds(7));
        await using var s = await StartHeldAsync(h, beats);
        await ClaimAndCrashAsync(h, s, "m-live");
        // The run stopped with the database (TransientFailure); the lease sweep resumes it once the database is back.
        beats.Outage(outage.From, outage.Until);
        h.Time.Advance(outage.Until - h.Time.GetUtcNow());

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var resumed = Engine(h, s.Broker).RunAsync(s.Start.ExecutionId, null, null, stop.Token);
        // Checks go on long after the holder was silent for the timeout and after this manager was back for it.
        var checkedLate = h.Memory.WhenOrphanCheckAt(outage.Until + (3 * h.Options.ClaimHolderTimeout));
        await AdvanceUntilAsync(h, beats, Task.WhenAny(checkedLate, resumed), "the resumed run to check its claims 45 s after the outage");
        // Each check follows the previous round's flush: a re-send decided at an earlier check would be stored by now.
        var events = await h.EventsOfAsync(s.Start.ExecutionId);
        var deliveries = s.Agent.Deliveries.Count(d => d.Key == s.Held.Key);
        await stop.CancelAsync();
        await Task.WhenAny(resumed);

        Assert.True(resumed.IsCanceled, $"the resumed run ended by itself ({resumed.Status}): the held operation was answered, so it was re-sent");
        Assert.DoesNotContain(events, e => e.Message.Contains(GoneMessage, StringComparison.Ordinal));
        Assert.Equal(1, deliveries);
        Assert.Null(s.ResentAt);
    }

    [Fact]
    public async Task ResumedRun_AfterADatabaseOutageLongerThanTheTimeout_Resends_OnceTheHolderStaysSilentForTheTimeoutAfterTheDatabaseIsBack()
    {
        await using var h = EngineHarness.ThreeTier();
        var beats = Beats(h);
        var outage = (From: h.Time.GetUtcNow().AddSeconds(30), Until: h.Time.GetUtcNow().AddSeconds(70));
        beats.Add("m-dead", at => at < outage.From);
        await using var s = await StartHeldAsync(h, beats);
        await ClaimAndCrashAsync(h, s, "m-dead");
        beats.Outage(outage.From, outage.Until);
        h.Time.Advance(outage.Until - h.Time.GetUtcNow());

        var resumed = Engine(h, s.Broker).RunAsync(s.Start.ExecutionId, null, null, Token);
        await AdvanceUntilAsync(h, beats, resumed, $"the resumed execution {s.Start.ExecutionId} to end");

        var execution = await h.Store.GetExecutionAsync(null, s.Start.ExecutionId, Token);
        var events = await h.EventsOfAsync(s.Start.ExecutionId);
        Assert.Equal(ExecutionStatus.Terminated, execution?.Status);
        Assert.Equal([0, 0], s.Agent.Deliveries.Where(d => d.Key == s.Held.Key).Select(d => d.RetryNumber));
        Assert.True(
            s.ResentAt >= outage.Until + h.Options.ClaimHolderTimeout,
            $"re-sent at {s.ResentAt:O}, database back at {outage.Until:O}: before this manager had been in contact for {h.Options.ClaimHolderTimeout}");
        Assert.Single(events, e => e.EventType == "workflow_node_event" && e.Message.Contains(GoneMessage, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("other-agent", new[] { 0 })]
    [InlineData("holder-agent", new[] { 0, 1 })]
    public async Task NotClaimedFailure_IsIgnored_WhileAnotherAgentHoldsTheAttempt_AndRetriedWhenNobodyElseDoes(string failedClaimant, int[] attempts)
    {
        await using var h = EngineHarness.ThreeTier();
        var beats = Beats(h);
        await using var s = await StartHeldAsync(h, beats, durable: false);
        var taskId = s.Held.Context["task_id"]!.GetValue<string>();
        await h.Store.ClaimOperationAsync(
            new OperationClaim { TenantName = "default_tenant", OperationId = taskId, Attempt = 0, ClaimId = "holder-agent", ClaimedAt = h.Time.GetUtcNow() },
            Token);

        // A copy of attempt 0 reached another agent during an outage: its claim got no answer for two minutes.
        var judged = h.Memory.WhenOperationRead(taskId);
        await s.Agent.ReplyAsync(s.Held, new TaskResponse
        {
            Ok = false,
            Error = new TaskError
            {
                ExceptionType = TaskError.NotClaimed,
                Message = $"Could not claim operation {taskId} before running it: database unavailable",
                KnownExceptionType = TaskError.Recoverable,
                KnownExceptionTypeArgs = [null],
                KnownExceptionTypeKwargs = new JsonObject { [TaskError.ClaimIdKwarg] = failedClaimant },
            },
        });
        // The loop handles one reply at a time: once it reads the claim for the failure, the holder's answer comes after it.
        await judged.Within($"the run to read operation {taskId}'s claim for the not-claimed failure");
        await s.Agent.ReplyAsync(s.Held, FakeAgent.Success());
        await AdvanceUntilAsync(h, beats, s.Run, $"execution {s.Start.ExecutionId} to end");

        var execution = await h.Store.GetExecutionAsync(null, s.Start.ExecutionId, Token);
        Assert.Equal(ExecutionStatus.Terminated, execution?.Status);
        Assert.Equal(attempts, s.Agent.Deliveries.Where(d => d.Key == s.Held.Key).Select(d => d.RetryNumber));
    }

    [Theory]
    [InlineData("pending", 0, null, 0, "pending")]
    [InlineData("pending", 3, 2, 3, "pending")]
    [InlineData("sending", 3, 2, 3, "sending")]
    [InlineData("sending", 2, 2, 2, "started")]
    [InlineData("pending", 2, 2, 2, "started")]
    [InlineData("sent", 2, 2, 2, "sent")]
    [InlineData("started", 4, 4, 4, "started")]
    public void RestoredTask_GoesOnFromItsLastClaimedAttempt_AndStaysInFlightWhileThatAttemptIsUnsettled(
        string state, int attempt, int? claimed, int expectedAttempt, string expectedState)
    {
        var record = new GraphTask { Id = "t", Type = TaskTypes.Remote, Name = "op" }
            .ToRecord("g", "default_tenant", null, DateTimeOffset.UnixEpoch) with { State = state, Attempt = attempt, ClaimedAttempt = claimed };

        var restored = GraphTask.FromRecord(record);

        Assert.Equal((expectedAttempt, expectedState), (restored.CurrentRetries, restored.State));
    }

    /// <summary>
    /// The gap's scenario on the real store: the engine stored attempt 0 as sending, published it and died before
    /// storing sent; an agent claimed attempt 0 and runs it. A restore must see attempt 0 in flight, never attempt 1
    /// (claimable beside it). And the case the next attempt is for: the claimed attempt's reply was stored as a retry.
    /// </summary>
    [Fact]
    public async Task RestoredTask_FromTheSqliteStore_AwaitsAClaimedAttempt_AndGoesOnWithTheNextOnceItsRetryIsStored()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        var start = await h.CreateExecutionAsync("install");
        var now = h.Time.GetUtcNow();
        var graph = new TaskGraph { TenantName = Topology.Tenant, Id = "g-claims", ExecutionId = start.ExecutionId, Name = "install", State = "started", CreatedAt = now };
        OperationRecord Row(string id) => new GraphTask { Id = id, Type = TaskTypes.Remote, Name = "script_runner.tasks.run", TotalRetries = 5 }
            .ToRecord(graph.Id, Topology.Tenant, h.Options.ManagerName, now);
        await h.Store.InsertTaskGraphAsync(graph, [Row("in-flight"), Row("retried")], Token);
        await h.Store.UpdateOperationStatesAsync([("in-flight", OperationStates.Sending, 0), ("retried", OperationStates.Sent, 0)], Token);
        foreach (var id in new[] { "in-flight", "retried" })
        {
            var claim = await h.Store.ClaimOperationAsync(
                new OperationClaim { TenantName = Topology.Tenant, OperationId = id, Attempt = 0, ClaimId = "agent-a", ClaimedAt = now },
                Token);
            Assert.Equal(OperationClaimOutcome.Claimed, claim.Outcome);
        }

        // A late write of the dead engine's sent changes nothing; the other task's failure was stored as its retry.
        await h.Store.UpdateOperationStatesAsync([("in-flight", OperationStates.Sent, 0), ("retried", OperationStates.Pending, 1)], Token);

        var restored = (await h.Store.ListOperationsAsync(graph.Id, Token)).Select(GraphTask.FromRecord).ToDictionary(t => t.Id);
        Assert.Equal((0, OperationStates.Started), (restored["in-flight"].CurrentRetries, restored["in-flight"].State));
        Assert.Equal((1, OperationStates.Pending), (restored["retried"].CurrentRetries, restored["retried"].State));
    }

    private const string GoneMessage = "the manager whose agent was running it is gone";

    /// <summary>This manager (the one running the execution) beats from now on; others are added by each test.</summary>
    private static ManagerBeats Beats(EngineHarness h)
    {
        h.Options.ManagerId = "m-here";
        var beats = new ManagerBeats(h.Store, h.Time);
        beats.Add("m-here");
        return beats;
    }

    /// <summary>
    /// Starts the install on a durable broker with an agent that holds the first operation it gets (no reply) and
    /// answers everything else, including that operation sent again; returns once that operation is stored as sent.
    /// </summary>
    private static async Task<Scenario> StartHeldAsync(EngineHarness h, ManagerBeats beats, bool durable = true)
    {
        await beats.TickAsync(Token);
        var s = new Scenario { Broker = durable ? new DurableBroker(h.Broker) : h.Broker };
        string? heldKey = null;
        s.Agent = await FakeAgent.StartAsync(h.Broker, d =>
        {
            if (Interlocked.CompareExchange(ref heldKey, d.Key, null) is null)
            {
                return null;
            }

            if (d.Key == heldKey)
            {
                s.ResentAt ??= h.Time.GetUtcNow();
            }

            return FakeAgent.Success();
        });
        s.Start = await h.CreateExecutionAsync("install");
        var first = s.Agent.WhenAny(_ => true);
        s.Run = Engine(h, s.Broker).RunAsync(s.Start.ExecutionId, s.Start, null, s.Crash.Token);
        s.Held = await first.Within("the first operation to reach the agent");
        var taskId = s.Held.Context["task_id"]!.GetValue<string>();
        await h.Memory.WhenOperationState(taskId, "sent").Within($"operation {taskId} to be stored as sent");
        return s;
    }

    /// <summary>The agent inside <paramref name="manager"/> claims the held operation; the run stops (kill -9, or an outage).</summary>
    private static async Task<DateTimeOffset> ClaimAndCrashAsync(EngineHarness h, Scenario s, string manager)
    {
        var claimedAt = h.Time.GetUtcNow();
        var claim = await h.Store.ClaimOperationAsync(
            new OperationClaim
            {
                TenantName = "default_tenant",
                OperationId = s.Held.Context["task_id"]!.GetValue<string>(),
                Attempt = 0,
                ClaimId = manager + "-agent",
                ManagerName = manager,
                ClaimedAt = claimedAt,
            },
            Token);
        Assert.Equal(OperationClaimOutcome.Claimed, claim.Outcome);
        await s.Crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.Run);
        return claimedAt;
    }

    private static WorkflowEngine Engine(EngineHarness h, IMessageBroker broker) =>
        new(h.Store, broker, h.Time, Options.Create(h.Options), h.NewQueue(), NullLogger<WorkflowEngine>.Instance);

    /// <summary>Moves fake time a second at a time, writing the heartbeats due, until <paramref name="done"/> completes (bounded).</summary>
    private static async Task AdvanceUntilAsync(EngineHarness h, ManagerBeats beats, Task done, string expectation)
    {
        using var deadline = new CancellationTokenSource(EngineHarness.Timeout);
        while (!done.IsCompleted)
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {EngineHarness.Timeout.TotalSeconds:0}s (real) for {expectation}; it did not happen.");
            }

            h.Time.Advance(TimeSpan.FromSeconds(1));
            await beats.TickAsync(Token);
            // The run loops on the thread pool: give it a moment of real time to react to the advanced clock.
            await Task.WhenAny(done, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, Token));
        }

        await done;
    }

    private sealed class Scenario : IAsyncDisposable
    {
        public CancellationTokenSource Crash { get; } = new();

        public required IMessageBroker Broker { get; init; }

        public FakeAgent Agent { get; set; } = null!;

        public Contracts.Tasks.WorkflowStartMessage Start { get; set; } = null!;

        public Task Run { get; set; } = Task.CompletedTask;

        public Delivery Held { get; set; } = null!;

        public DateTimeOffset? ResentAt { get; set; }

        public async ValueTask DisposeAsync()
        {
            Crash.Dispose();
            if (Agent is not null)
            {
                await Agent.DisposeAsync();
            }
        }
    }
}
