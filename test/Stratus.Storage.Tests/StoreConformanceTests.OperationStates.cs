using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

/// <summary>
/// Every write of an operation's state names its attempt and is a compare-and-set: the engine's batched writes race
/// with agents' claims, and whoever commits last must not move an attempt back or reopen an ended one.
/// </summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task UpdateOperationStatesAsync_NeverMovesAClaimedAttemptBackToSent_NorAnEndedOneAnywhere()
    {
        await SeedClaimableAsync("e1", "g1", "claimed", "ended", "fresh");
        var now = Time.GetUtcNow();
        await Store.UpdateOperationStatesAsync([("claimed", "sending", 0), ("ended", "sent", 0)], Token);
        await Store.ClaimOperationAsync(Claim("claimed", 0, "agent-a"), Token);
        await Store.UpdateOperationStatesAsync([("ended", "succeeded", 0)], Token);

        // One batch as the engine flushes it: a late "sent" for the claimed attempt, writes that would reopen an ended
        // attempt, and a forward move that must still apply.
        var changed = await Store.UpdateOperationStatesAsync(
            [("claimed", "sent", 0), ("ended", "pending", 0), ("fresh", "sent", 0)], Token);
        var reopened = await Store.UpdateOperationStatesAsync([("ended", "failed", 0), ("ended", "started", 0)], Token);
        var repeated = await Store.UpdateOperationStatesAsync([("ended", "succeeded", 0), ("claimed", "started", 0)], Token);

        Assert.Equal(1, changed);
        Assert.Equal(0, reopened);
        Assert.Equal(2, repeated);
        var states = (await Store.ListOperationsAsync("g1", Token)).ToDictionary(o => o.Id, o => (o.State, o.Attempt));
        Assert.Equal(("started", 0), states["claimed"]);
        Assert.Equal(("succeeded", 0), states["ended"]);
        Assert.Equal(("sent", 0), states["fresh"]);
    }

    [Fact]
    public async Task UpdateOperationStatesAsync_ALaterAttemptReplacesTheRow_AndAnEarlierOneChangesNothing()
    {
        await SeedClaimableAsync("e1", "g1", "op1", "op2");
        var now = Time.GetUtcNow();
        await Store.ClaimOperationAsync(Claim("op1", 0, "agent-a"), Token);
        await Store.UpdateOperationStatesAsync([("op2", "failed", 0)], Token);

        // Attempt 0 failed and is retried: pending for attempt 1 replaces started and failed of attempt 0.
        var retried = await Store.UpdateOperationStatesAsync([("op1", "pending", 1), ("op2", "pending", 1)], Token);
        await Store.ClaimOperationAsync(Claim("op1", 1, "agent-a"), Token);
        var stale = await Store.UpdateOperationStatesAsync([("op1", "succeeded", 0), ("op2", "sent", 0)], Token);

        Assert.Equal(2, retried);
        Assert.Equal(0, stale);
        var op1 = await Store.GetOperationAsync("op1", Token);
        var op2 = await Store.GetOperationAsync("op2", Token);
        Assert.Equal(("started", 1, 1), (op1!.State, op1.Attempt, op1.ClaimedAttempt));
        Assert.Equal(("pending", 1), (op2!.State, op2.Attempt));
    }

    [Fact]
    public async Task UpdateOperationStatesAsync_AppliesEachRowOfALargeBatch_ByItsOwnAttempt()
    {
        var ids = Enumerable.Range(0, 450).Select(i => $"op{i:D3}").ToArray();
        await SeedClaimableAsync("e1", "g1", ids);
        await Store.UpdateOperationStatesAsync([.. ids.Select((id, i) => (id, "failed", i % 2))], Token);

        // Rows at attempt 1 ended there: a write for attempt 1 is refused; rows ended at attempt 0 take attempt 1.
        var changed = await Store.UpdateOperationStatesAsync([.. ids.Select(id => (id, "sending", 1))], Token);

        Assert.Equal(225, changed);
        var stored = await Store.ListOperationsAsync("g1", Token);
        Assert.All(stored, o => Assert.Equal(
            int.Parse(o.Id[2..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? ("sending", 1) : ("failed", 1),
            (o.State, o.Attempt)));
    }

    [Fact]
    public async Task ClaimOperationAsync_RefusesAnAttemptThatFinished_EvenToItsOwnClaimantOrAfterItsManagerIsGone()
    {
        await SeedClaimableAsync("e1", "g1", "retried", "failed", "orphan");
        var start = Time.GetUtcNow();
        await Store.BeatAsync("m1", start, start, Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        var now = Time.GetUtcNow();
        await Store.ClaimOperationAsync(Claim("retried", 0, "agent-a"), Token);
        await Store.ClaimOperationAsync(Claim("failed", 0, "agent-a"), Token);
        await Store.ClaimOperationAsync(Claim("orphan", 0, "m1-agent") with { ManagerName = "m1" }, Token);
        // The engine stores each reply: a retry as the next attempt pending, a final failure, a failure of the
        // attempt run by m1's agent; then m1 dies (silent for longer than the cut-off).
        await Store.UpdateOperationStatesAsync([("retried", "pending", 1), ("failed", "failed", 0), ("orphan", "failed", 0)], Token);
        Time.Advance(TimeSpan.FromSeconds(60));
        var seenSince = Time.GetUtcNow().AddSeconds(-15);
        await ObserverBeatsAsync(start, Time.GetUtcNow());

        var redelivered = await Store.ClaimOperationAsync(Claim("retried", 0, "agent-a"), Token);
        var afterFailure = await Store.ClaimOperationAsync(Claim("failed", 0, "agent-a"), Token);
        var released = await Store.ReleaseOrphanedOperationClaimsAsync(["orphan"], Holders(seenSince), Token);
        var takeover = await Store.ClaimOperationAsync(Claim("orphan", 0, "m2-agent") with { ManagerName = "m2" }, Token);
        var next = await Store.ClaimOperationAsync(Claim("retried", 1, "agent-b"), Token);

        Assert.Equal((OperationClaimOutcome.Refused, "pending", 1), (redelivered.Outcome, redelivered.State, redelivered.Attempt));
        Assert.True(redelivered.AttemptFinished(0));
        Assert.Equal((OperationClaimOutcome.Refused, "failed", 0), (afterFailure.Outcome, afterFailure.State, afterFailure.Attempt));
        Assert.True(afterFailure.AttemptFinished(0));
        Assert.Empty(released);
        Assert.Equal((OperationClaimOutcome.Refused, "failed"), (takeover.Outcome, takeover.State));
        Assert.Equal(OperationClaimOutcome.Claimed, next.Outcome);
        var retried = await Store.GetOperationAsync("retried", Token);
        var orphan = await Store.GetOperationAsync("orphan", Token);
        Assert.Equal(("started", 1), (retried!.State, retried.Attempt));
        Assert.Equal(("failed", 0, "m1"), (orphan!.State, orphan.Attempt, orphan.ManagerName));
    }

    [Fact]
    public async Task TryResumeExecutionAsync_ResetsAClaimedAttempt_AsTheNextOne_SoALateDeliveryOfTheOldOneIsRefused()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow(), ExecutionStatus.Failed), false, Token);
        await Store.InsertTaskGraphAsync(
            Make.Graph("g1", "e1", Time.GetUtcNow()),
            [Make.Operation("claimed", "g1", Time.GetUtcNow()), Make.Operation("unsent", "g1", Time.GetUtcNow())],
            Token);
        await Store.ClaimOperationAsync(Claim("claimed", 0, "agent-a"), Token);
        await Store.UpdateOperationStatesAsync([("claimed", "failed", 0), ("unsent", "failed", 0)], Token);

        Assert.True(await Store.TryResumeExecutionAsync("e1", [ExecutionStatus.Failed], ["failed"], "hash", Token));
        var late = await Store.ClaimOperationAsync(Claim("claimed", 0, "agent-a"), Token);
        var unsent = await Store.ClaimOperationAsync(Claim("unsent", 0, "agent-a"), Token);
        var next = await Store.ClaimOperationAsync(Claim("claimed", 1, "agent-a"), Token);

        Assert.Equal(OperationClaimOutcome.Refused, late.Outcome);
        Assert.Equal(OperationClaimOutcome.Claimed, unsent.Outcome);
        Assert.Equal(OperationClaimOutcome.Claimed, next.Outcome);
    }
}
