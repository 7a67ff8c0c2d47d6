using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

/// <summary>
/// A manager's unbroken contact with the database, and the orphan rule that rests on it: after an outage longer than
/// the timeout every manager looks silent, so nobody is judged gone before the observer has been back for the timeout.
/// </summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task UpsertManagerAsync_KeepsContactSince_WhileEachBeatComesByItsPromise_AndRestartsItAfterAGapOrARestart()
    {
        var t0 = Time.GetUtcNow();
        DateTimeOffset? ContactOf(IReadOnlyList<ManagerRecord> rows) => rows.Single(m => m.Name == "m1").ContactSince;
        async Task<DateTimeOffset?> BeatAsync(DateTimeOffset startedAt, double at)
        {
            var seen = t0.AddSeconds(at);
            await Store.UpsertManagerAsync(ManagerHeartbeats.Row("m1", startedAt, seen) with { NextBeatBy = seen.AddSeconds(10) }, Token);
            return ContactOf(await Store.ListManagersAsync(t0.AddHours(-1), Token));
        }

        var first = await BeatAsync(t0, 0);
        var onTime = await BeatAsync(t0, 10);
        var late = await BeatAsync(t0, 20.5);
        var onTimeAgain = await BeatAsync(t0, 25);
        var restarted = await BeatAsync(t0.AddSeconds(29), 30);
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("m1", t0.AddSeconds(29), t0.AddSeconds(35)), Token);
        var noPromise = await BeatAsync(t0.AddSeconds(29), 40);
        var afterNoPromise = await BeatAsync(t0.AddSeconds(29), 45);

        Assert.Equal(
            [t0, t0, t0.AddSeconds(20.5), t0.AddSeconds(20.5), t0.AddSeconds(30), t0.AddSeconds(40), t0.AddSeconds(40)],
            [first, onTime, late, onTimeAgain, restarted, noPromise, afterNoPromise]);
    }

    [Fact]
    public async Task OrphanedClaims_AfterAnOutageLongerThanTheTimeout_AreJudgedOnlyOnceTheObserverWasBackForTheTimeout()
    {
        await SeedClaimableAsync("e1", "g1", "live", "dead");
        var t0 = Time.GetUtcNow();
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("m-live", t0, t0), Token);
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("m-dead", t0, t0), Token);
        await ObserverBeatsAsync(t0, t0.AddSeconds(5));
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.ClaimOperationAsync(Claim("live", 0, "m-live-agent") with { ManagerName = "m-live" }, Token);
        await Store.ClaimOperationAsync(Claim("dead", 0, "m-dead-agent") with { ManagerName = "m-dead" }, Token);
        // The database is away from t0+5 to t0+45: nobody beats. The observer beats again from t0+45; m-live's writer
        // needs until t0+52; m-dead never comes back.
        var back = t0.AddSeconds(45);
        await ObserverBeatsAsync(back, back.AddSeconds(5), t0);
        var soonAfter = Holders(back.AddSeconds(5).AddSeconds(-15));

        var listedSoonAfter = await Store.ListOrphanedOperationClaimsAsync(["live", "dead"], soonAfter, Token);
        var releasedSoonAfter = await Store.ReleaseOrphanedOperationClaimsAsync(["live", "dead"], soonAfter, Token);
        var claimedSoonAfter = await Store.ClaimOperationAsync(
            Claim("live", 0, "other-agent") with { ManagerName = "m-other", ClaimedAt = back.AddSeconds(5) }, Token);
        await Store.UpsertManagerAsync(ManagerHeartbeats.Row("m-live", t0, back.AddSeconds(7)), Token);
        await ObserverBeatsAsync(back.AddSeconds(5), back.AddSeconds(15), t0);
        var late = Holders(back);
        var listedLate = await Store.ListOrphanedOperationClaimsAsync(["live", "dead"], late, Token);
        var unknownObserver = await Store.ListOrphanedOperationClaimsAsync(["live", "dead"], late with { Observer = "nobody" }, Token);
        var noObserver = await Store.ListOrphanedOperationClaimsAsync(["live", "dead"], late with { Observer = null }, Token);
        // The observer's last promise (t0+70) broken: it may have been cut off since, so it judges nobody.
        var silentObserver = await Store.ListOrphanedOperationClaimsAsync(["live", "dead"], Holders(back.AddSeconds(11)), Token);
        var releasedLate = await Store.ReleaseOrphanedOperationClaimsAsync(["live", "dead"], late, Token);
        var claimedLate = await Store.ClaimOperationAsync(
            Claim("live", 0, "other-agent") with { ManagerName = "m-other", ClaimedAt = back.AddSeconds(15) }, Token);
        var takenOver = await Store.ClaimOperationAsync(
            Claim("dead", 0, "other-agent") with { ManagerName = "m-other", ClaimedAt = back.AddSeconds(15) }, Token);

        Assert.Empty(listedSoonAfter);
        Assert.Empty(releasedSoonAfter);
        Assert.Equal(OperationClaimOutcome.Refused, claimedSoonAfter.Outcome);
        Assert.Equal([("dead", 0)], listedLate);
        Assert.Empty(unknownObserver);
        Assert.Empty(noObserver);
        Assert.Empty(silentObserver);
        Assert.Equal([("dead", 0)], releasedLate);
        Assert.Equal(OperationClaimOutcome.Refused, claimedLate.Outcome);
        Assert.Equal(OperationClaimOutcome.Claimed, takenOver.Outcome);
    }
}
