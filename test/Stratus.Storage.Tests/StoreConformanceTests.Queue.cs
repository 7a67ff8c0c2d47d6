using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task DequeueExecutionsAsync_StartsTheOldestQueuedOfEachIdleDeployment_InCreationOrder()
    {
        await SeedDeploymentAsync("d1");
        await SeedDeploymentAsync("d2", "bp2");
        await SeedDeploymentAsync("d3", "bp3");
        var at = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("busy", "d3", at, ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q-d2", "d2", at.AddSeconds(1), ExecutionStatus.Queued), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q-d1-a", "d1", at.AddSeconds(2), ExecutionStatus.Queued), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q-d1-b", "d1", at.AddSeconds(3), ExecutionStatus.Queued), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q-d3", "d3", at.AddSeconds(4), ExecutionStatus.Queued), false, Token);

        var started = await Store.DequeueExecutionsAsync(20, Token);

        Assert.Equal(["q-d2", "q-d1-a"], started.Select(e => e.Id));
        Assert.All(started, e => Assert.Equal(ExecutionStatus.Pending, e.Status));
        Assert.Equal(ExecutionStatus.Pending, (await Store.GetExecutionAsync(null, "q-d1-a", Token))?.Status);
        Assert.Equal(ExecutionStatus.Queued, (await Store.GetExecutionAsync(null, "q-d1-b", Token))?.Status);
        Assert.Equal(ExecutionStatus.Queued, (await Store.GetExecutionAsync(null, "q-d3", Token))?.Status);
        Assert.Empty(await Store.DequeueExecutionsAsync(20, Token));
    }

    [Fact]
    public async Task DequeueExecutionsAsync_StopsAtTheLimitOfActiveExecutions()
    {
        await SeedDeploymentAsync("d1");
        await SeedDeploymentAsync("d2", "bp2");
        await SeedDeploymentAsync("d3", "bp3");
        var at = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("running", "d3", at, ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q1", "d1", at.AddSeconds(1), ExecutionStatus.Queued), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q2", "d2", at.AddSeconds(2), ExecutionStatus.Queued), false, Token);

        Assert.Empty(await Store.DequeueExecutionsAsync(1, Token));
        Assert.Equal(["q1"], (await Store.DequeueExecutionsAsync(2, Token)).Select(e => e.Id));
        Assert.Empty(await Store.DequeueExecutionsAsync(2, Token));
    }

    [Fact]
    public async Task DequeueExecutionsAsync_RunsAQueuedSystemWorkflowAlone_OnceNothingIsActive()
    {
        await SeedDeploymentAsync("d1");
        var at = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("running", "d1", at, ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("sys", null, at.AddSeconds(1), ExecutionStatus.Queued, "create_snapshot") with { IsSystemWorkflow = true }, false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q1", "d1", at.AddSeconds(2), ExecutionStatus.Queued), false, Token);

        Assert.Empty(await Store.DequeueExecutionsAsync(20, Token));
        Assert.True(await Store.TryTransitionExecutionAsync(
            "running", new ExecutionTransition { To = ExecutionStatus.Terminated, ExpectedFrom = [ExecutionStatus.Started] }, Token));
        Assert.Equal(["sys"], (await Store.DequeueExecutionsAsync(20, Token)).Select(e => e.Id));
        Assert.Empty(await Store.DequeueExecutionsAsync(20, Token));
        Assert.True(await Store.TryTransitionExecutionAsync(
            "sys", new ExecutionTransition { To = ExecutionStatus.Terminated, ExpectedFrom = [ExecutionStatus.Pending] }, Token));
        Assert.Equal(["q1"], (await Store.DequeueExecutionsAsync(20, Token)).Select(e => e.Id));
    }

    [Fact]
    public async Task DequeueExecutionsAsync_StartsEachQueuedExecutionOnce_WhenDequeuersRace()
    {
        await SeedDeploymentAsync("d1");
        await SeedDeploymentAsync("d2", "bp2");
        var at = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("q1", "d1", at, ExecutionStatus.Queued), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q2", "d2", at.AddSeconds(1), ExecutionStatus.Queued), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("q3", "d1", at.AddSeconds(2), ExecutionStatus.Queued), false, Token);

        var results = await RaceAsync(Enumerable.Range(0, 6).Select(_ => (Func<Task<IReadOnlyList<Execution>>>)(() => Store.DequeueExecutionsAsync(20, Token))));

        var all = results.SelectMany(r => r).Select(e => e.Id).ToList();
        Assert.Equal(["q1", "q2"], all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InsertExecutionAsync_RefusesExclusiveStart_WhenAnOlderExecutionIsQueued()
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("q1", "dep", Time.GetUtcNow(), ExecutionStatus.Queued), false, Token);

        var error = await AssertStratusAsync(
            Core.Errors.ErrorCodes.ExistingRunningExecution, 400, () => Store.InsertExecutionAsync(Make.Execution("e2", "dep", Time.GetUtcNow()), true, Token));

        Assert.Contains("`q1`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryTransitionExecutionAsync_ReopensAnEndedExecution_ForResume()
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow(), ExecutionStatus.Failed) with { EndedAt = Time.GetUtcNow() }, false, Token);

        var reopened = await Store.TryTransitionExecutionAsync(
            "e1",
            new ExecutionTransition { To = ExecutionStatus.Pending, ExpectedFrom = [ExecutionStatus.Failed], ClearEndedAt = true, Resume = true, TokenHash = "h2", Error = "" },
            Token);

        Assert.True(reopened);
        var stored = await Store.GetExecutionAsync(null, "e1", Token);
        Assert.Equal((ExecutionStatus.Pending, (DateTimeOffset?)null, true, "h2", ""), (stored!.Status, stored.EndedAt, stored.Resume, stored.TokenHash, stored.Error));
    }

    [Fact]
    public async Task TryResumeExecutionAsync_ReopensTheExecution_AndResetsOnlyTheNamedOperationStates_InOneStep()
    {
        await SeedDeploymentAsync();
        var at = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", at, ExecutionStatus.Failed) with { EndedAt = at, Error = "boom" }, false, Token);
        await Store.InsertTaskGraphAsync(
            Make.Graph("g1", "e1", at),
            [
                Make.Operation("ok", "g1", at) with { State = "succeeded" },
                Make.Operation("bad", "g1", at) with { State = "failed" },
                Make.Operation("retry", "g1", at) with { State = "rescheduled" },
                Make.Operation("sent", "g1", at) with { State = "sent" },
            ],
            Token);

        var refused = await Store.TryResumeExecutionAsync("e1", [ExecutionStatus.Cancelled], ["failed"], "h1", Token);
        var resumed = await Store.TryResumeExecutionAsync("e1", [ExecutionStatus.Failed], ["failed", "rescheduled"], "h2", Token);

        Assert.False(refused);
        Assert.True(resumed);
        var stored = await Store.GetExecutionAsync(null, "e1", Token);
        Assert.Equal((ExecutionStatus.Pending, (DateTimeOffset?)null, true, "h2", ""), (stored!.Status, stored.EndedAt, stored.Resume, stored.TokenHash, stored.Error));
        var states = (await Store.ListOperationsAsync("g1", Token)).ToDictionary(o => o.Id, o => o.State);
        Assert.Equal(("succeeded", "pending", "pending", "sent"), (states["ok"], states["bad"], states["retry"], states["sent"]));
    }
}
