using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task UpsertManagerAsync_RefreshesTheRow_AndListShowsOnlyManagersSeenRecently()
    {
        var at = Time.GetUtcNow();
        await Store.BeatAsync("m1", at, at, Token);
        await Store.BeatAsync("m2", at.AddSeconds(-60), at.AddSeconds(-60), Token);
        await Store.BeatAsync("m1", at, at.AddSeconds(5), Token);

        var live = await Store.ListManagersAsync(at.AddSeconds(-30), Token);
        var all = await Store.ListManagersAsync(at.AddHours(-1), Token);
        await Store.DeleteManagerAsync("m2", Token);

        var m1 = Assert.Single(live);
        Assert.Equal("m1", m1.Name);
        Assert.Equal(at.AddSeconds(5), m1.LastSeen);
        Assert.Equal(["m1", "m2"], all.Select(m => m.Name));
        Assert.True(all[0].Id < all[1].Id);
        Assert.Equal(["m1"], (await Store.ListManagersAsync(at.AddHours(-1), Token)).Select(m => m.Name));
    }

    [Fact]
    public async Task TryClaimExecutionAsync_GivesAnActiveExecutionToOneManager_UntilItsLeaseExpires()
    {
        await SeedDeploymentAsync("d1");
        var now = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("e1", "d1", now, ExecutionStatus.Pending), false, Token);

        Assert.True(await Store.TryClaimExecutionAsync("e1", "a", now, now + Lease, Token));
        Assert.False(await Store.TryClaimExecutionAsync("e1", "b", now.AddSeconds(9), now.AddSeconds(9) + Lease, Token));
        Assert.True(await Store.TryClaimExecutionAsync("e1", "a", now.AddSeconds(9), now.AddSeconds(9) + Lease, Token));
        Assert.True(await Store.TryClaimExecutionAsync("e1", "b", now.AddSeconds(19), now.AddSeconds(19) + Lease, Token));

        var lease = await Store.GetExecutionLeaseAsync("e1", Token);
        Assert.Equal(new ExecutionLease("b", now.AddSeconds(19) + Lease), lease);
        Assert.Null(await Store.GetExecutionLeaseAsync("missing", Token));
    }

    [Fact]
    public async Task TryClaimExecutionAsync_RefusesAnExecutionThatIsNotActive()
    {
        await SeedDeploymentAsync("d1");
        var now = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("done", "d1", now, ExecutionStatus.Terminated), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("queued", "d1", now, ExecutionStatus.Queued), false, Token);

        Assert.False(await Store.TryClaimExecutionAsync("done", "a", now, now + Lease, Token));
        Assert.False(await Store.TryClaimExecutionAsync("queued", "a", now, now + Lease, Token));
        Assert.False(await Store.TryClaimExecutionAsync("missing", "a", now, now + Lease, Token));
    }

    [Fact]
    public async Task RenewExecutionLeasesAsync_ExtendsOnlyTheLeasesTheOwnerStillHolds()
    {
        await SeedDeploymentAsync("d1");
        var now = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("e1", "d1", now, ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("e2", "d1", now.AddSeconds(1), ExecutionStatus.Started), false, Token);
        await Store.TryClaimExecutionAsync("e1", "a", now, now + Lease, Token);
        await Store.TryClaimExecutionAsync("e2", "a", now, now + Lease, Token);
        var later = now.AddSeconds(11);
        Assert.True(await Store.TryClaimExecutionAsync("e2", "b", later, later + Lease, Token));

        var held = await Store.RenewExecutionLeasesAsync("a", ["e1", "e2", "missing"], later + Lease, Token);

        Assert.Equal(["e1"], held);
        Assert.Equal(later + Lease, (await Store.GetExecutionLeaseAsync("e1", Token))?.ExpiresAt);
        Assert.Equal("b", (await Store.GetExecutionLeaseAsync("e2", Token))?.Owner);
        Assert.Empty(await Store.RenewExecutionLeasesAsync("a", [], later, Token));
    }

    [Fact]
    public async Task ClaimOrphanedExecutionsAsync_TakesExpiredLeasesOldestFirst_AndUnleasedOnlyWhenAsked()
    {
        await SeedDeploymentAsync("d1");
        var now = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("unleased", "d1", now, ExecutionStatus.Pending), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("expired", "d1", now.AddSeconds(1), ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("released", "d1", now.AddSeconds(2), ExecutionStatus.Cancelling), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("live", "d1", now.AddSeconds(3), ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("ended", "d1", now.AddSeconds(4), ExecutionStatus.Started), false, Token);
        await Store.TryClaimExecutionAsync("expired", "dead", now, now.AddSeconds(5), Token);
        await Store.TryClaimExecutionAsync("released", "a", now, now + Lease, Token);
        await Store.ReleaseExecutionLeaseAsync("released", "a", now.AddSeconds(1), Token);
        await Store.TryClaimExecutionAsync("live", "other", now, now.AddMinutes(5), Token);
        await Store.TryClaimExecutionAsync("ended", "dead", now, now.AddSeconds(5), Token);
        await Store.TryTransitionExecutionAsync("ended", new ExecutionTransition { To = ExecutionStatus.Failed, ExpectedFrom = [ExecutionStatus.Started] }, Token);
        var scan = now.AddSeconds(6);

        var first = await Store.ClaimOrphanedExecutionsAsync("b", scan, scan + Lease, 1, includeUnleased: false, Token);
        var rest = await Store.ClaimOrphanedExecutionsAsync("b", scan, scan + Lease, 10, includeUnleased: false, Token);
        var withUnleased = await Store.ClaimOrphanedExecutionsAsync("c", scan, scan + Lease, 10, includeUnleased: true, Token);

        Assert.Equal(["expired"], first);
        Assert.Equal(["released"], rest);
        Assert.Equal(["unleased"], withUnleased);
        Assert.Equal("b", (await Store.GetExecutionLeaseAsync("expired", Token))?.Owner);
        Assert.Equal("other", (await Store.GetExecutionLeaseAsync("live", Token))?.Owner);
    }

    [Fact]
    public async Task ClaimOrphanedExecutionsAsync_TwoManagersAtOnce_NeverTakeTheSameExecution()
    {
        await SeedDeploymentAsync("d1");
        var now = Time.GetUtcNow();
        for (var i = 0; i < 12; i++)
        {
            var id = $"e{i:00}";
            await Store.InsertExecutionAsync(Make.Execution(id, "d1", now.AddSeconds(i), ExecutionStatus.Started), false, Token);
            await Store.TryClaimExecutionAsync(id, "dead", now, now.AddSeconds(1), Token);
        }

        var scan = now.AddSeconds(2);
        var results = await RaceAsync(Enumerable.Range(0, 4).Select(m => (Func<Task<IReadOnlyList<string>>>)(() =>
            Store.ClaimOrphanedExecutionsAsync($"m{m}", scan, scan + Lease, 5, includeUnleased: false, Token))));

        var taken = results.SelectMany(r => r).ToList();
        Assert.Equal(12, taken.Count);
        Assert.Equal(12, taken.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ClaimStalePendingExecutionsAsync_TakesOldUnclaimedPendingOnly_AndEachOnceAcrossManagers()
    {
        await SeedDeploymentAsync("d1");
        var now = Time.GetUtcNow();
        for (var i = 0; i < 8; i++)
        {
            await Store.InsertExecutionAsync(Make.Execution($"p{i}", "d1", now.AddSeconds(i), ExecutionStatus.Pending), false, Token);
        }

        await Store.InsertExecutionAsync(Make.Execution("fresh", "d1", now.AddMinutes(5), ExecutionStatus.Pending), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("started", "d1", now, ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("claimed", "d1", now, ExecutionStatus.Pending), false, Token);
        await Store.TryClaimExecutionAsync("claimed", "dead", now, now.AddSeconds(1), Token);
        var cutoff = now.AddMinutes(1);

        var results = await RaceAsync(Enumerable.Range(0, 3).Select(m => (Func<Task<IReadOnlyList<string>>>)(() =>
            Store.ClaimStalePendingExecutionsAsync($"m{m}", cutoff, cutoff + Lease, 4, Token))));
        var again = await Store.ClaimStalePendingExecutionsAsync("late", cutoff, cutoff + Lease, 10, Token);

        var taken = results.SelectMany(r => r).ToList();
        Assert.Equal([.. Enumerable.Range(0, 8).Select(i => $"p{i}")], taken.Order(StringComparer.Ordinal));
        Assert.Empty(again);
        Assert.StartsWith("m", (await Store.GetExecutionLeaseAsync("p0", Token))?.Owner, StringComparison.Ordinal);
        Assert.Null(await Store.GetExecutionLeaseAsync("fresh", Token));
        Assert.Null(await Store.GetExecutionLeaseAsync("started", Token));
        Assert.Equal("dead", (await Store.GetExecutionLeaseAsync("claimed", Token))?.Owner);
    }

    [Fact]
    public async Task InsertEventsAsync_StoresAKeyedEventOnce_EvenWhenTheBatchIsResent()
    {
        await SeedDeploymentAsync("d1");
        var at = Time.GetUtcNow();
        await Store.InsertExecutionAsync(Make.Execution("e1", "d1", at, ExecutionStatus.Started), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("e2", "d1", at, ExecutionStatus.Started), false, Token);
        StoredEvent[] batch =
        [
            Make.Event("e1", at, "one") with { IdempotencyKey = "k1" },
            Make.Event("e1", at, "two") with { IdempotencyKey = "k2" },
            Make.Event("e1", at, "unkeyed"),
        ];

        await Store.InsertEventsAsync(batch, Token);
        await Store.InsertEventsAsync(batch, Token);
        await Store.InsertEventsAsync([Make.Event("e2", at, "same key, other execution") with { IdempotencyKey = "k1" }, batch[0]], Token);

        var e1 = await Store.ListEventsAfterAsync("e1", 0, 100, Token);
        var e2 = await Store.ListEventsAfterAsync("e2", 0, 100, Token);
        Assert.Equal(["one", "two", "unkeyed", "unkeyed"], e1.Select(e => e.Message));
        Assert.Equal(["same key, other execution"], e2.Select(e => e.Message));
    }
}
