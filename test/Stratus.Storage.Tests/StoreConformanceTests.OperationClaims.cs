using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan HolderTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ClaimOperationAsync_GrantsOneAttemptOnce_AndEachLaterAttempt()
    {
        await SeedClaimableAsync("e1", "g1", "op1");
        var now = Time.GetUtcNow();

        var first = await Store.ClaimOperationAsync(Claim("op1", 0, "agent-a"), Token);
        var again = await Store.ClaimOperationAsync(Claim("op1", 0, "agent-a"), Token);
        var duplicate = await Store.ClaimOperationAsync(Claim("op1", 0, "agent-b"), Token);
        var retry = await Store.ClaimOperationAsync(Claim("op1", 1, "agent-b"), Token);
        var stale = await Store.ClaimOperationAsync(Claim("op1", 0, "agent-c"), Token);

        Assert.Equal(OperationClaimOutcome.Claimed, first.Outcome);
        Assert.Equal(OperationClaimOutcome.Claimed, again.Outcome);
        Assert.Equal((OperationClaimOutcome.Refused, "started", 0, "agent"), (duplicate.Outcome, duplicate.State, duplicate.ClaimedAttempt, duplicate.AgentName));
        Assert.Equal(OperationClaimOutcome.Claimed, retry.Outcome);
        Assert.Equal((OperationClaimOutcome.Refused, 1), (stale.Outcome, stale.ClaimedAttempt));
        var stored = await Store.GetOperationAsync("op1", Token);
        Assert.Equal(("started", 1, "agent"), (stored!.State, stored.ClaimedAttempt, stored.AgentName));
    }

    [Fact]
    public async Task ClaimOperationAsync_TwoAgentsAtOnce_ExactlyOneWins()
    {
        await SeedClaimableAsync("e1", "g1", "op1");
        var now = Time.GetUtcNow();

        var results = await RaceAsync(Enumerable.Range(0, 8).Select(i =>
            (Func<Task<OperationClaimResult>>)(() => Store.ClaimOperationAsync(Claim("op1", 3, $"agent-{i}"), Token))));

        Assert.Equal(1, results.Count(r => r.Outcome == OperationClaimOutcome.Claimed));
        Assert.Equal(7, results.Count(r => r.Outcome == OperationClaimOutcome.Refused));
    }

    [Fact]
    public async Task ClaimOperationAsync_IsNotFound_ForAnotherTenantOrExecution_AndRefused_OnceSucceeded()
    {
        await SeedClaimableAsync("e1", "g1", "op1");
        await Store.InsertExecutionAsync(Make.Execution("e2", null, Time.GetUtcNow()), false, Token);
        var now = Time.GetUtcNow();

        var otherTenant = await Store.ClaimOperationAsync(Claim("op1", 0, "a") with { TenantName = "other" }, Token);
        var otherExecution = await Store.ClaimOperationAsync(Claim("op1", 0, "a") with { ExecutionId = "e2" }, Token);
        var missing = await Store.ClaimOperationAsync(Claim("nope", 0, "a"), Token);
        await Store.UpdateOperationStatesAsync([("op1", "succeeded", 0)], Token);
        var afterSuccess = await Store.ClaimOperationAsync(Claim("op1", 5, "a") with { ExecutionId = "e1" }, Token);

        Assert.Equal(OperationClaimOutcome.NotFound, otherTenant.Outcome);
        Assert.Equal(OperationClaimOutcome.NotFound, otherExecution.Outcome);
        Assert.Equal(OperationClaimOutcome.NotFound, missing.Outcome);
        Assert.Equal((OperationClaimOutcome.Refused, "succeeded"), (afterSuccess.Outcome, afterSuccess.State));
        Assert.Null((await Store.GetOperationAsync("op1", Token))!.ClaimedAttempt);
    }

    [Fact]
    public async Task ClaimOperationAsync_TakesOverAManagersClaim_OnlyOnceThatManagerIsGone_AndTheRunReleasedIt()
    {
        await SeedClaimableAsync("e1", "g1", "op1", "op2", "op3");
        var start = Time.GetUtcNow();
        await Store.BeatAsync("m1", start, start, Token);
        await Store.BeatAsync("m2", start, start, Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        var claimedAt = Time.GetUtcNow();
        await Store.ClaimOperationAsync(Claim("op1", 0, "m1-agent") with { ManagerName = "m1" }, Token);
        await Store.ClaimOperationAsync(Claim("op2", 0, "m2-agent") with { ManagerName = "m2" }, Token);
        await Store.ClaimOperationAsync(Claim("op3", 0, "host-agent"), Token);
        Time.Advance(TimeSpan.FromSeconds(30));
        var now = Time.GetUtcNow();
        // m1 beats on; m2 was restarted under its name after the claim (kill -9 and start again).
        await Store.BeatAsync("m1", start, now, Token);
        await Store.BeatAsync("m2", now, now, Token);
        var seenSince = now.AddSeconds(-15);
        await ObserverBeatsAsync(start, now);

        var orphaned = await Store.ListOrphanedOperationClaimsAsync(["op1", "op2", "op3", "nope"], Holders(seenSince), Token);
        var released = await Store.ReleaseOrphanedOperationClaimsAsync(["op1", "op2", "op3", "nope"], Holders(seenSince), Token);
        var liveHolder = await Store.ClaimOperationAsync(Claim("op1", 0, "other") with { ManagerName = "m2", ClaimedAt = now }, Token);
        var restartedHolder = await Store.ClaimOperationAsync(Claim("op2", 0, "other") with { ManagerName = "m1", ClaimedAt = now }, Token);
        var hostAgentHolder = await Store.ClaimOperationAsync(Claim("op3", 0, "other") with { ClaimedAt = now }, Token);
        await Store.DeleteManagerAsync("m1", Token);
        var releasedAfterStop = await Store.ReleaseOrphanedOperationClaimsAsync(["op1"], Holders(seenSince), Token);
        var stoppedHolder = await Store.ClaimOperationAsync(Claim("op1", 0, "other") with { ManagerName = "m2", ClaimedAt = now }, Token);
        var afterTakeover = await Store.ListOrphanedOperationClaimsAsync(["op1", "op2", "op3"], Holders(seenSince), Token);

        Assert.Equal([("op2", 0)], orphaned);
        Assert.Equal([("op2", 0)], released);
        Assert.Equal([("op1", 0)], releasedAfterStop);
        Assert.Equal(OperationClaimOutcome.Refused, liveHolder.Outcome);
        Assert.Equal(OperationClaimOutcome.Claimed, restartedHolder.Outcome);
        Assert.Equal(OperationClaimOutcome.Refused, hostAgentHolder.Outcome);
        Assert.Equal(OperationClaimOutcome.Claimed, stoppedHolder.Outcome);
        // op2's new holder names m1, which has stopped since.
        Assert.Equal([("op2", 0)], afterTakeover);
    }

    [Fact]
    public async Task ClaimOperationAsync_RefusesATakeoverOfAGoneManagersClaim_UntilTheRunReleasesIt()
    {
        // m1 ran the execution and its agent claimed op1 and replied; m1 died before the run stored that reply. A copy
        // of op1 claimed by another agent now would run it a second time: only the run that has read the execution's
        // reply queue since (and found op1 still unfinished) may release the claim.
        await SeedClaimableAsync("e1", "g1", "op1");
        var start = Time.GetUtcNow();
        await Store.BeatAsync("m1", start, start, Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.ClaimOperationAsync(Claim("op1", 0, "m1-agent") with { ManagerName = "m1" }, Token);
        Time.Advance(TimeSpan.FromSeconds(30));
        var now = Time.GetUtcNow();
        await ObserverBeatsAsync(start, now);
        var seenSince = now.AddSeconds(-15);

        var orphaned = await Store.ListOrphanedOperationClaimsAsync(["op1"], Holders(seenSince), Token);
        var beforeRelease = await Store.ClaimOperationAsync(Claim("op1", 0, "m2-agent") with { ManagerName = "m2", ClaimedAt = now }, Token);
        var released = await Store.ReleaseOrphanedOperationClaimsAsync(["op1"], Holders(seenSince), Token);
        var afterRelease = await Store.ClaimOperationAsync(Claim("op1", 0, "m2-agent") with { ManagerName = "m2", ClaimedAt = now }, Token);
        var secondCopy = await Store.ClaimOperationAsync(Claim("op1", 0, "m3-agent") with { ManagerName = "m3", ClaimedAt = now }, Token);

        Assert.Equal([("op1", 0)], orphaned);
        Assert.Equal((OperationClaimOutcome.Refused, 0), (beforeRelease.Outcome, beforeRelease.ClaimedAttempt));
        Assert.Equal([("op1", 0)], released);
        Assert.Equal(OperationClaimOutcome.Claimed, afterRelease.Outcome);
        Assert.Equal(OperationClaimOutcome.Refused, secondCopy.Outcome);
        var stored = await Store.GetOperationAsync("op1", Token);
        Assert.Equal(("started", 0, "m2-agent", "m2"), (stored!.State, stored.ClaimedAttempt, stored.ClaimedBy, stored.ManagerName));
    }

    /// <summary>The orphan rule as the manager <c>observer</c> judges it at <paramref name="seenSince"/> + the timeout.</summary>
    private static ClaimHolderCheck Holders(DateTimeOffset seenSince) => new("observer", seenSince + HolderTimeout, HolderTimeout);

    /// <summary>The observer's heartbeats every 5 s from <paramref name="from"/> to <paramref name="to"/>, each promising the next within 10 s.</summary>
    private async Task ObserverBeatsAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset? startedAt = null)
    {
        for (var at = from; ; at = at.AddSeconds(5) > to ? to : at.AddSeconds(5))
        {
            await Store.UpsertManagerAsync(ManagerHeartbeats.Row("observer", startedAt ?? from, at) with { NextBeatBy = at.AddSeconds(10) }, Token);
            if (at == to)
            {
                return;
            }
        }
    }

    private async Task SeedClaimableAsync(string executionId, string graphId, params string[] operationIds)
    {
        await Store.InsertExecutionAsync(Make.Execution(executionId, null, Time.GetUtcNow()), false, Token);
        await Store.InsertTaskGraphAsync(
            Make.Graph(graphId, executionId, Time.GetUtcNow()), [.. operationIds.Select(id => Make.Operation(id, graphId, Time.GetUtcNow()))], Token);
    }

    private OperationClaim Claim(string operationId, int attempt, string claimId) => new()
    {
        TenantName = Make.Tenant,
        OperationId = operationId,
        Attempt = attempt,
        ClaimId = claimId,
        AgentName = "agent",
        ClaimedAt = Time.GetUtcNow(),
    };
}
