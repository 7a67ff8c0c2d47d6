using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private async Task SeedEventsAsync(int count)
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow()), false, Token);
        var events = Enumerable.Range(0, count)
            .Select(i => Make.Event("e1", Time.GetUtcNow().AddMilliseconds(i), $"m{i:D4}", i % 3 == 0 ? "cloudify_log" : "cloudify_event"))
            .ToList();
        await Store.InsertEventsAsync(events, Token);
    }

    [Fact]
    public async Task InsertEventsAsync_StoresWholeBatchInOrder_WhenLargerThanOneStatement()
    {
        await SeedEventsAsync(1000);

        var page = await Store.ListEventsAsync(Make.Tenant, new ListQuery { Size = 10000 }, Token);

        Assert.Equal(1000L, page.Total);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"m{i:D4}"), page.Items.Select(e => e.Message));
        Assert.True(page.Items.Zip(page.Items.Skip(1)).All(p => p.First.StorageId < p.Second.StorageId), "storage ids must increase in insertion order");
        var first = page.Items[0];
        Assert.Equal(("dep", "bp", "install", "cloudify_log", "info"), (first.DeploymentId, first.BlueprintId, first.WorkflowId, first.Type, first.Level));
        Assert.Equal((Time.GetUtcNow(), "vm_1", "vm"), (first.Timestamp, first.NodeInstanceId, first.NodeName));
    }

    [Fact]
    public async Task InsertEventsAsync_KeepsEveryColumnAndStoresAKeyOnce_WhenRepeatedInOneBatch()
    {
        await SeedEventsAsync(0);
        var at = Time.GetUtcNow().AddTicks(1234567);
        var full = Make.Event("e1", at, "quote \" back\\slash \u00e9\u4e2d tab\t line\nend") with
        {
            ReportedTimestamp = at.AddSeconds(1),
            CreatedBy = "admin",
            MessageCode = "code-1",
            Operation = "cloudify.interfaces.lifecycle.create",
            SourceId = "src_1",
            TargetId = "tgt_1",
            ErrorCauses = [new JsonObject { ["message"] = "boom", ["traceback"] = "line 1\nline 2" }],
            ManagerName = "m-1",
            AgentName = "a-1",
            IdempotencyKey = "k-1",
        };

        await Store.InsertEventsAsync([full, full with { Message = "same key, not stored" }, Make.Event("e1", at, "no key")], Token);

        var items = (await Store.ListEventsAsync(Make.Tenant, new ListQuery { Size = 10 }, Token)).Items;
        Assert.Equal([full.Message, "no key"], items.Select(e => e.Message));
        var stored = items[0];
        Assert.Equal(
            (SqlPrecision(at), SqlPrecision(at.AddSeconds(1)), "admin", "code-1", "cloudify.interfaces.lifecycle.create", "src_1", "tgt_1", "m-1", "a-1"),
            (stored.Timestamp, stored.ReportedTimestamp, stored.CreatedBy, stored.MessageCode, stored.Operation, stored.SourceId, stored.TargetId, stored.ManagerName, stored.AgentName));
        Assert.Equal(full.ErrorCauses!.ToJsonString(), stored.ErrorCauses?.ToJsonString());
        Assert.Null(items[1].ErrorCauses);
        Assert.Null(items[1].MessageCode);
    }

    private static DateTimeOffset SqlPrecision(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    [Fact]
    public async Task InsertEventsAsync_StoresNothing_WhenAnExecutionIsUnknown()
    {
        await SeedEventsAsync(0);

        var error = await AssertStratusAsync(
            ErrorCodes.NotFound,
            404,
            () => Store.InsertEventsAsync([Make.Event("e1", Time.GetUtcNow(), "ok"), Make.Event("ghost", Time.GetUtcNow(), "lost")], Token));

        Assert.Contains("ghost", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, (await Store.ListEventsAsync(Make.Tenant, ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task ListEventsAsync_FiltersByTypeDeploymentAndRange_WhenQueryGiven()
    {
        await SeedEventsAsync(30);
        var errorCauses = new JsonArray(new JsonObject { ["message"] = "boom", ["type"] = "RuntimeError" });
        await Store.InsertEventsAsync(
            [Make.Event("e1", Time.GetUtcNow().AddHours(1), "failed") with { EventType = "task_failed", ErrorCauses = errorCauses }], Token);
        static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        var logs = await Store.ListEventsAsync(Make.Tenant, Make.Query(("type", ["cloudify_log"])), Token);
        var ranged = await Store.ListEventsAsync(
            Make.Tenant,
            Make.Query(("deployment_id", ["dep"])) with { Ranges = [new RangeFilter("@timestamp", At(Time.GetUtcNow().AddMilliseconds(10)), At(Time.GetUtcNow().AddMilliseconds(12)))] },
            Token);
        var newest = await Store.ListEventsAsync(Make.Tenant, new ListQuery { Sort = [new SortKey("@timestamp", true)], Size = 2, Offset = 0 }, Token);
        var failed = await Store.ListEventsAsync(Make.Tenant, Make.Query(("event_type", ["task_failed"]), ("node_id", ["vm"])), Token);
        var otherTenant = await Store.ListEventsAsync("other", ListQuery.All, Token);

        Assert.Equal(10L, logs.Total);
        Assert.Equal(["m0010", "m0011", "m0012"], ranged.Items.Select(e => e.Message));
        Assert.Equal(["failed", "m0029"], newest.Items.Select(e => e.Message));
        Assert.Equal(31L, newest.Total);
        Assert.Equal(errorCauses.ToJsonString(), Assert.Single(failed.Items).ErrorCauses?.ToJsonString());
        Assert.Equal(0L, otherTenant.Total);
        await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListEventsAsync(Make.Tenant, Make.Query(("message_text", ["x"])), Token));
    }

    [Fact]
    public async Task ListEventsAfterAsync_TailsInPagesWithoutGapsOrRepeats_WhenEventsKeepArriving()
    {
        await SeedEventsAsync(250);
        var seen = new List<string>();
        var cursor = 0L;

        for (var batch = await Store.ListEventsAfterAsync("e1", cursor, 100, Token); batch.Count > 0; batch = await Store.ListEventsAfterAsync("e1", cursor, 100, Token))
        {
            Assert.True(batch.Count <= 100, $"a page holds at most the limit, got {batch.Count}");
            seen.AddRange(batch.Select(e => e.Message));
            cursor = batch[^1].StorageId;
        }

        await Store.InsertEventsAsync([Make.Event("e1", Time.GetUtcNow(), "late")], Token);
        var late = await Store.ListEventsAfterAsync("e1", cursor, 100, Token);

        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"m{i:D4}"), seen);
        Assert.Equal(["late"], late.Select(e => e.Message));
        Assert.Empty(await Store.ListEventsAfterAsync("other-execution", 0, 100, Token));
    }

    [Fact]
    public async Task ListEventsAfterAsync_MissesNothing_WhenBatchesAreWrittenConcurrently()
    {
        await SeedEventsAsync(0);
        var writers = Enumerable.Range(0, 8).Select(w => (Func<Task<int>>)(async () =>
        {
            for (var b = 0; b < 5; b++)
            {
                var batch = Enumerable.Range(0, 20).Select(i => Make.Event("e1", Time.GetUtcNow(), $"w{w}-b{b}-{i}")).ToList();
                await Store.InsertEventsAsync(batch, Token);
            }

            return w;
        }));
        var seen = new List<string>();
        var cursor = 0L;

        async Task ReadNewAsync()
        {
            var page = await Store.ListEventsAfterAsync("e1", cursor, 50, Token);
            seen.AddRange(page.Select(e => e.Message));
            cursor = page.Count > 0 ? page[^1].StorageId : cursor;
        }

        // The tail reads while the writers commit; a storage id that becomes visible after a higher one would be skipped.
        var writing = RaceAsync(writers);
        while (!writing.IsCompleted)
        {
            await ReadNewAsync();
        }

        await writing;
        for (var before = -1; before != seen.Count;)
        {
            before = seen.Count;
            await ReadNewAsync();
        }

        Assert.Equal(800, seen.Count);
        Assert.Equal(800, seen.Distinct(StringComparer.Ordinal).Count());
    }
}
