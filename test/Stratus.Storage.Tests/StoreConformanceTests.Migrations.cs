using Stratus.Storage.Migrations;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task MigrateAsync_KeepsData_WhenRunAgain()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);

        await Store.MigrateAsync(Token);
        await Store.MigrateAsync(Token);

        Assert.NotNull(await Store.GetBlueprintAsync(Make.Tenant, "bp", Token));
    }

    [Fact]
    public async Task MigrateAsync_AppliesSchemaOnce_WhenTwoStoresStartTogether()
    {
        _ = Store;
        var location = await CreateDatabaseAsync();
        var first = Open(location);
        var second = Open(location);

        // A script applied twice would fail on CREATE TABLE of an existing table.
        await Task.WhenAll(first.MigrateAsync(Token), second.MigrateAsync(Token));

        await first.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);
        Assert.NotNull(await second.GetBlueprintAsync(Make.Tenant, "bp", Token));
    }

    [Fact]
    public async Task MigrateAsync_AppliesOnlyNewScripts_WhenASchemaVersionIsAdded()
    {
        _ = Store;
        var location = await CreateDatabaseAsync();
        MigrationScript v1 = new(1, "0001_widgets", "CREATE TABLE widgets (id TEXT PRIMARY KEY)");
        MigrationScript v2 = new(2, "0002_gadgets", "CREATE TABLE gadgets (id TEXT PRIMARY KEY); INSERT INTO gadgets (id) VALUES ('g')");
        await using (var first = new ScriptedStore(OpenDialect(location), [v1], Time))
        {
            await first.MigrateAsync(Token);
        }

        // Re-running 0001 would fail on the existing table, so success means only 0002 ran.
        await using var second = new ScriptedStore(OpenDialect(location), [v2, v1], Time);
        await second.MigrateAsync(Token);
        await second.MigrateAsync(Token);

        Assert.Equal([1, 2], await ReadVersionsAsync(second));
    }

    [Fact]
    public async Task MigrateAsync_LeavesSchemaUntouched_WhenAScriptFails()
    {
        _ = Store;
        var location = await CreateDatabaseAsync();
        MigrationScript good = new(1, "0001_widgets", "CREATE TABLE widgets (id TEXT PRIMARY KEY)");
        MigrationScript bad = new(2, "0002_broken", "CREATE TABLE gizmos (id TEXT PRIMARY KEY); INSERT INTO no_such_table VALUES (1)");
        await using var store = new ScriptedStore(OpenDialect(location), [good, bad], Time);

        await Assert.ThrowsAnyAsync<Exception>(() => store.MigrateAsync(Token));

        // Both tables are created again: had either survived the failed run, its CREATE TABLE would now fail.
        MigrationScript repaired = new(2, "0002_repaired", "CREATE TABLE gizmos (id TEXT PRIMARY KEY)");
        await using var fixedStore = new ScriptedStore(OpenDialect(location), [good, repaired], Time);
        await fixedStore.MigrateAsync(Token);
        Assert.Equal([1, 2], await ReadVersionsAsync(fixedStore));
    }

    private static async Task<List<int>> ReadVersionsAsync(ScriptedStore store)
    {
        await using var connection = await store.Dialect.OpenReadAsync(Token);
        return await store.QueryAsync(connection, null, "SELECT version FROM schema_version ORDER BY version", null, r => r.Int("version"), Token);
    }
}
