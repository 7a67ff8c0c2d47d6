using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task InsertPluginAsync_RoundTripsEveryField_WhenIdIsNew()
    {
        var plugin = Make.Plugin("p1", "cloudify-aws-plugin", "3.2.1", Time.GetUtcNow()) with
        {
            PackageSource = "cloudify-aws-plugin==3.2.1",
            Title = "AWS",
            BlueprintLabels = new JsonObject { ["arch"] = new JsonArray("k8s") },
            Labels = new JsonObject { ["obj"] = new JsonArray("eks") },
            ResourceTags = new JsonObject { ["k"] = "v" },
            ExcludedWheels = new JsonArray(),
            Visibility = Visibility.Private,
        };

        await Store.InsertPluginAsync(plugin, Token);
        var stored = await Store.GetPluginAsync(Make.Tenant, "p1", Token);

        Assert.NotNull(stored);
        Assert.Equal(["plugin.yaml", "plugin_1_4.yaml"], stored.YamlFiles);
        Assert.Equal("\"manylinux\"", stored.SupportedPlatform!.ToJsonString());
        Assert.Equal("[\"py311\"]", stored.SupportedPyVersions!.ToJsonString());
        Assert.Equal("{\"arch\":[\"k8s\"]}", stored.BlueprintLabels!.ToJsonString());
        Assert.Equal("{\"k\":\"v\"}", stored.ResourceTags!.ToJsonString());
        Assert.Equal("[]", stored.ExcludedWheels!.ToJsonString());
        Assert.Equal(
            plugin with { SupportedPlatform = null, SupportedPyVersions = null, Wheels = null, ExcludedWheels = null, BlueprintLabels = null, Labels = null, ResourceTags = null, YamlFiles = [] },
            stored with { SupportedPlatform = null, SupportedPyVersions = null, Wheels = null, ExcludedWheels = null, BlueprintLabels = null, Labels = null, ResourceTags = null, YamlFiles = [] });
    }

    [Fact]
    public async Task InsertPluginAsync_KeepsNullJson_WhenMetadataMissing()
    {
        var plugin = Make.Plugin("p1", "bare", "1.0", Time.GetUtcNow()) with
        {
            Distribution = null, DistributionRelease = null, DistributionVersion = null, SupportedPlatform = null, Wheels = null, YamlFiles = [],
        };

        await Store.InsertPluginAsync(plugin, Token);
        var stored = await Store.GetPluginAsync(Make.Tenant, "p1", Token);

        Assert.NotNull(stored);
        Assert.Null(stored.Distribution);
        Assert.Null(stored.SupportedPlatform);
        Assert.Null(stored.Wheels);
        Assert.Empty(stored.YamlFiles);
    }

    [Fact]
    public async Task InsertPluginAsync_Throws409_WhenIdExistsInAnyTenant()
    {
        await Store.InsertPluginAsync(Make.Plugin("p1", "a", "1.0", Time.GetUtcNow()), Token);

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertPluginAsync(Make.Plugin("p1", "b", "1.0", Time.GetUtcNow(), tenant: "other"), Token));

        Assert.Equal("<Plugin id=`p1` tenant=`other`> already exists on <Tenant name=`other`> or with global visibility", error.Message);
        Assert.Null(await Store.GetPluginAsync("other", "p1", Token));
    }

    [Fact]
    public async Task InsertPluginAsync_Throws409_WhenSamePackageVersionAndDistributionInTenant()
    {
        await Store.InsertPluginAsync(Make.Plugin("p1", "a", "1.0", Time.GetUtcNow()), Token);

        await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertPluginAsync(Make.Plugin("p2", "a", "1.0", Time.GetUtcNow()) with { ArchiveName = "other.wgn" }, Token));
        await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertPluginAsync(Make.Plugin("p3", "a", "1.0", Time.GetUtcNow()) with { ArchiveName = "x.wgn", Distribution = "rhel" }, Token));

        Assert.Equal(1, (await Store.ListPluginsAsync(Make.Tenant, ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task InsertPluginAsync_AcceptsOtherVersionOrDistributionOrTenant_WhenPackageRepeats()
    {
        await Store.InsertPluginAsync(Make.Plugin("p1", "a", "1.0", Time.GetUtcNow()), Token);

        await Store.InsertPluginAsync(Make.Plugin("p2", "a", "2.0", Time.GetUtcNow()), Token);
        await Store.InsertPluginAsync(Make.Plugin("p3", "a", "1.0", Time.GetUtcNow()) with { Distribution = "ubuntu", ArchiveName = "a-ubuntu.wgn" }, Token);
        await Store.InsertPluginAsync(Make.Plugin("p4", "a", "1.0", Time.GetUtcNow(), tenant: "other"), Token);

        Assert.Equal(3, (await Store.ListPluginsAsync(Make.Tenant, ListQuery.All, Token)).Total);
        Assert.Equal(1, (await Store.ListPluginsAsync("other", ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task InsertPluginAsync_Throws409_WhenSameArchiveIsGlobalElsewhere()
    {
        await Store.InsertPluginAsync(Make.Plugin("p1", "a", "1.0", Time.GetUtcNow(), tenant: "other") with { Visibility = Visibility.Global }, Token);

        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.InsertPluginAsync(Make.Plugin("p2", "a", "1.0", Time.GetUtcNow()), Token));
        var global = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertPluginAsync(Make.Plugin("p3", "a", "1.0", Time.GetUtcNow(), tenant: "third") with { Visibility = Visibility.Global }, Token));

        Assert.Contains("its visibility can't be global because it also exists in other tenants", global.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPluginAsync_SeesOwnAndGlobalOnly_WhenTenantsDiffer()
    {
        await Store.InsertPluginAsync(Make.Plugin("mine", "a", "1.0", Time.GetUtcNow()), Token);
        await Store.InsertPluginAsync(Make.Plugin("theirs", "b", "1.0", Time.GetUtcNow(), tenant: "other"), Token);
        await Store.InsertPluginAsync(Make.Plugin("shared", "c", "1.0", Time.GetUtcNow(), tenant: "other") with { Visibility = Visibility.Global }, Token);

        Assert.NotNull(await Store.GetPluginAsync(Make.Tenant, "mine", Token));
        Assert.Null(await Store.GetPluginAsync(Make.Tenant, "theirs", Token));
        Assert.Equal("other", (await Store.GetPluginAsync(Make.Tenant, "shared", Token))?.TenantName);
        var listed = await Store.ListPluginsAsync(Make.Tenant, ListQuery.All, Token);
        Assert.Equal(["mine", "shared"], listed.Items.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListPluginsAsync_SearchesFiltersSortsAndPages_WhenQueryGiven()
    {
        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Store.InsertPluginAsync(Make.Plugin($"p{i}", i % 2 == 0 ? "cloudify-aws-plugin" : "cloudify-gcp-plugin", $"1.{i}", Time.GetUtcNow()), Token);
        }

        var searched = await Store.ListPluginsAsync(Make.Tenant, new ListQuery { Search = "aws", Sort = [new SortKey("uploaded_at", Descending: true)] }, Token);
        var filtered = await Store.ListPluginsAsync(Make.Tenant, Make.Query(("package_version", ["1.1", "1.3"])), Token);
        var paged = await Store.ListPluginsAsync(Make.Tenant, new ListQuery { Offset = 1, Size = 2 }, Token);
        var escaped = await Store.ListPluginsAsync(Make.Tenant, new ListQuery { Search = "%" }, Token);

        Assert.Equal(["p2", "p0"], searched.Items.Select(p => p.Id));
        Assert.Equal(["p1", "p3"], filtered.Items.Select(p => p.Id));
        Assert.Equal(4, paged.Total);
        Assert.Equal(["p1", "p2"], paged.Items.Select(p => p.Id));
        Assert.Empty(escaped.Items);
        await AssertStratusAsync(ErrorCodes.BadParameters, 400, () => Store.ListPluginsAsync(Make.Tenant, Make.Query(("wheels", ["x"])), Token));
    }

    [Fact]
    public async Task ListPluginsAsync_HidesOthersPrivatePlugins_WhenPrivateFilterGiven()
    {
        await Store.InsertPluginAsync(Make.Plugin("mine", "a", "1.0", Time.GetUtcNow()) with { Visibility = Visibility.Private, CreatedBy = "alice" }, Token);
        await Store.InsertPluginAsync(Make.Plugin("bobs", "b", "1.0", Time.GetUtcNow()) with { Visibility = Visibility.Private, CreatedBy = "bob" }, Token);

        var page = await Store.ListPluginsAsync(Make.Tenant, ListQuery.All with { PrivateVisibleTo = "alice" }, Token);

        Assert.Equal(["mine"], page.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task DeletePluginAsync_RemovesOnlyOwnTenantsRow_WhenCalled()
    {
        await Store.InsertPluginAsync(Make.Plugin("shared", "c", "1.0", Time.GetUtcNow(), tenant: "other") with { Visibility = Visibility.Global }, Token);

        Assert.False(await Store.DeletePluginAsync(Make.Tenant, "shared", Token));
        Assert.False(await Store.DeletePluginAsync(Make.Tenant, "missing", Token));
        Assert.True(await Store.DeletePluginAsync("other", "shared", Token));
        Assert.Null(await Store.GetPluginAsync("other", "shared", Token));
    }

    [Fact]
    public async Task SetPluginVisibilityAsync_ChangesOnlyFromExpected_WhenCompareAndSet()
    {
        await Store.InsertPluginAsync(Make.Plugin("p1", "a", "1.0", Time.GetUtcNow()), Token);

        Assert.False(await Store.SetPluginVisibilityAsync(Make.Tenant, "p1", Visibility.Private, Visibility.Global, Token));
        Assert.True(await Store.SetPluginVisibilityAsync(Make.Tenant, "p1", Visibility.Tenant, Visibility.Global, Token));
        Assert.False(await Store.SetPluginVisibilityAsync("other", "p1", Visibility.Global, Visibility.Tenant, Token));

        Assert.Equal(Visibility.Global, (await Store.GetPluginAsync("third", "p1", Token))?.Visibility);
    }

    [Fact]
    public async Task SetPluginVisibilityAsync_Throws409_WhenGlobalWouldClashWithAnotherTenant()
    {
        await Store.InsertPluginAsync(Make.Plugin("p1", "a", "1.0", Time.GetUtcNow()), Token);
        await Store.InsertPluginAsync(Make.Plugin("p2", "a", "1.0", Time.GetUtcNow(), tenant: "other"), Token);

        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.SetPluginVisibilityAsync(Make.Tenant, "p1", Visibility.Tenant, Visibility.Global, Token));

        Assert.Equal(Visibility.Tenant, (await Store.GetPluginAsync(Make.Tenant, "p1", Token))?.Visibility);
    }

    [Fact]
    public async Task InsertPluginAsync_LetsExactlyOneWin_WhenTheSamePackageIsInsertedConcurrently()
    {
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(
            async () =>
            {
                try
                {
                    await Store.InsertPluginAsync(Make.Plugin($"p{i}", "a", "1.0", Time.GetUtcNow()) with { ArchiveName = $"a{i}.wgn" }, Token);
                    return true;
                }
                catch (Core.Errors.StratusException e) when (e.ErrorCode == ErrorCodes.Conflict)
                {
                    return false;
                }
            },
            Token));

        var won = await Task.WhenAll(attempts);

        Assert.Equal(1, won.Count(w => w));
        Assert.Equal(1, (await Store.ListPluginsAsync(Make.Tenant, ListQuery.All, Token)).Total);
    }
}
