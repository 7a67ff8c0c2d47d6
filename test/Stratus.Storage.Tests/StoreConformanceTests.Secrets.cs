using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task InsertSecretAsync_RoundTripsEveryField_WhenKeyIsNew()
    {
        var secret = Make.Secret("db", Time.GetUtcNow()) with
        {
            IsHiddenValue = true,
            Visibility = Visibility.Private,
            Schema = new JsonObject { ["type"] = "object" },
        };

        await Store.InsertSecretAsync(secret, Token);
        var stored = await Store.GetSecretAsync(Make.Tenant, "db", Token);

        Assert.NotNull(stored);
        Assert.Equal("{\"type\":\"object\"}", stored.Schema!.ToJsonString());
        Assert.Equal(secret with { Schema = null }, stored with { Schema = null });
    }

    [Fact]
    public async Task InsertSecretAsync_Throws409AndKeepsTheFirst_WhenKeyExistsInTenant()
    {
        await Store.InsertSecretAsync(Make.Secret("db", Time.GetUtcNow()), Token);

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertSecretAsync(Make.Secret("db", Time.GetUtcNow()) with { EncryptedValue = "v1:second" }, Token));

        Assert.Equal($"<Secret id=`db` tenant=`{Make.Tenant}`> already exists on <Tenant name=`{Make.Tenant}`> or with global visibility", error.Message);
        Assert.Equal("v1:opaque-db", (await Store.GetSecretAsync(Make.Tenant, "db", Token))!.EncryptedValue);
    }

    [Fact]
    public async Task InsertSecretAsync_AllowsSameKeyPerTenant_UnlessOneIsGlobal()
    {
        await Store.InsertSecretAsync(Make.Secret("db", Time.GetUtcNow()), Token);
        await Store.InsertSecretAsync(Make.Secret("db", Time.GetUtcNow(), tenant: "other"), Token);
        await Store.InsertSecretAsync(Make.Secret("shared", Time.GetUtcNow(), visibility: Visibility.Global), Token);

        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.InsertSecretAsync(Make.Secret("shared", Time.GetUtcNow(), tenant: "other"), Token));
        var global = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertSecretAsync(Make.Secret("db", Time.GetUtcNow(), tenant: "third", visibility: Visibility.Global), Token));

        Assert.Contains("its visibility can't be global because it also exists in other tenants", global.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetSecretAsync("third", "db", Token));
    }

    [Fact]
    public async Task GetSecretAsync_SeesOwnAndGlobalSecrets_ButNotOtherTenants()
    {
        await Store.InsertSecretAsync(Make.Secret("mine", Time.GetUtcNow()), Token);
        await Store.InsertSecretAsync(Make.Secret("theirs", Time.GetUtcNow(), tenant: "other"), Token);
        await Store.InsertSecretAsync(Make.Secret("shared", Time.GetUtcNow(), tenant: "other", visibility: Visibility.Global), Token);

        Assert.NotNull(await Store.GetSecretAsync(Make.Tenant, "mine", Token));
        Assert.Null(await Store.GetSecretAsync(Make.Tenant, "theirs", Token));
        Assert.Equal("other", (await Store.GetSecretAsync(Make.Tenant, "shared", Token))!.TenantName);
    }

    [Fact]
    public async Task ListSecretsAsync_FiltersSortsSearchesAndHidesOthersPrivate()
    {
        await Store.InsertSecretAsync(Make.Secret("b_key", Time.GetUtcNow()), Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.InsertSecretAsync(Make.Secret("a_key", Time.GetUtcNow()) with { CreatedBy = "alice", Visibility = Visibility.Private }, Token);
        await Store.InsertSecretAsync(Make.Secret("c_other", Time.GetUtcNow(), tenant: "other"), Token);
        await Store.InsertSecretAsync(Make.Secret("d_global", Time.GetUtcNow(), tenant: "other", visibility: Visibility.Global), Token);

        var all = await Store.ListSecretsAsync(Make.Tenant, new ListQuery { Sort = [new SortKey("key", Descending: false)] }, Token);
        var searched = await Store.ListSecretsAsync(Make.Tenant, new ListQuery { Search = "_key" }, Token);
        var forBob = await Store.ListSecretsAsync(Make.Tenant, new ListQuery { PrivateVisibleTo = "bob" }, Token);
        var paged = await Store.ListSecretsAsync(Make.Tenant, new ListQuery { Offset = 1, Size = 1 }, Token);
        var hidden = await Store.ListSecretsAsync(Make.Tenant, Make.Query(("visibility", ["private"])), Token);

        Assert.Equal(["a_key", "b_key", "d_global"], all.Items.Select(s => s.Key));
        Assert.Equal(["b_key", "a_key"], searched.Items.Select(s => s.Key));
        Assert.Equal(["b_key", "d_global"], forBob.Items.Select(s => s.Key).Order());
        Assert.Equal(3, paged.Total);
        Assert.Equal(["a_key"], paged.Items.Select(s => s.Key));
        Assert.Equal(["a_key"], hidden.Items.Select(s => s.Key));
    }

    [Fact]
    public async Task UpdateSecretAsync_ChangesTheRow_OnlyWhileItIsAsExpected()
    {
        var original = Make.Secret("db", Time.GetUtcNow());
        await Store.InsertSecretAsync(original, Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        var updated = original with { EncryptedValue = "v1:new", IsHiddenValue = true, Visibility = Visibility.Private, UpdatedAt = Time.GetUtcNow() };

        Assert.True(await Store.UpdateSecretAsync(original, updated, Token));
        Assert.False(await Store.UpdateSecretAsync(original, original with { EncryptedValue = "v1:lost" }, Token));
        Assert.Equal(updated, await Store.GetSecretAsync(Make.Tenant, "db", Token));
        Assert.False(await Store.UpdateSecretAsync(Make.Secret("gone", Time.GetUtcNow()), Make.Secret("gone", Time.GetUtcNow()), Token));
    }

    [Fact]
    public async Task UpdateSecretAsync_Throws409_WhenMadeGlobalWhileOtherTenantHasTheKey()
    {
        var mine = Make.Secret("db", Time.GetUtcNow());
        await Store.InsertSecretAsync(mine, Token);
        await Store.InsertSecretAsync(Make.Secret("db", Time.GetUtcNow(), tenant: "other"), Token);

        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.UpdateSecretAsync(mine, mine with { Visibility = Visibility.Global }, Token));

        Assert.Equal(Visibility.Tenant, (await Store.GetSecretAsync(Make.Tenant, "db", Token))!.Visibility);
    }

    [Fact]
    public async Task InsertSecretAsync_LetsOneOfConcurrentGlobalAndTenantCreationsWin()
    {
        var outcomes = await RaceAsync(
        [
            () => TryAsync(() => Store.InsertSecretAsync(Make.Secret("race", Time.GetUtcNow(), visibility: Visibility.Global), Token)),
            () => TryAsync(() => Store.InsertSecretAsync(Make.Secret("race", Time.GetUtcNow(), tenant: "other"), Token)),
        ]);

        Assert.Single(outcomes, ok => ok);
        Assert.Equal(1, (await Store.ListSecretsAsync("other", ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task DeleteSecretAsync_RemovesOnlyTheTenantsOwn()
    {
        await Store.InsertSecretAsync(Make.Secret("shared", Time.GetUtcNow(), tenant: "other", visibility: Visibility.Global), Token);
        await Store.InsertSecretAsync(Make.Secret("mine", Time.GetUtcNow()), Token);

        Assert.False(await Store.DeleteSecretAsync(Make.Tenant, "shared", Token));
        Assert.True(await Store.DeleteSecretAsync(Make.Tenant, "mine", Token));
        Assert.False(await Store.DeleteSecretAsync(Make.Tenant, "mine", Token));
        Assert.Null(await Store.GetSecretAsync(Make.Tenant, "mine", Token));
        Assert.NotNull(await Store.GetSecretAsync(Make.Tenant, "shared", Token));
    }

    private static async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (StratusException e) when (e.ErrorCode == ErrorCodes.Conflict)
        {
            return false;
        }
    }
}
