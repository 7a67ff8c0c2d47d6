using Stratus.Core.Errors;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task InsertBlueprintAsync_RoundTripsEveryField_WhenIdIsNew()
    {
        var blueprint = Make.Blueprint("bp", Time.GetUtcNow()) with { Error = "e", IsHidden = true, State = "invalid" };

        await Store.InsertBlueprintAsync(blueprint, Token);
        var stored = await Store.GetBlueprintAsync(Make.Tenant, "bp", Token);

        Assert.NotNull(stored);
        Assert.Equal(blueprint.Plan!.ToJsonString(), stored.Plan!.ToJsonString());
        Assert.Equal(blueprint with { Plan = stored.Plan }, stored);
    }

    [Fact]
    public async Task InsertBlueprintAsync_Throws409_WhenIdExistsInTenant()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token));

        Assert.Equal("Blueprint with ID `bp` already exists on tenant `default_tenant`", error.Message);
    }

    [Fact]
    public async Task InsertBlueprintAsync_KeepsTenantsApart_WhenSameIdInAnotherTenant()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow(), tenant: "other") with { Description = "theirs" }, Token);

        Assert.Equal("a blueprint", (await Store.GetBlueprintAsync(Make.Tenant, "bp", Token))?.Description);
        Assert.Equal("theirs", (await Store.GetBlueprintAsync("other", "bp", Token))?.Description);
        Assert.Null(await Store.GetBlueprintAsync("third", "bp", Token));
        Assert.Equal(1, (await Store.ListBlueprintsAsync("other", ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task ListBlueprintsAsync_FiltersSortsAndPages_WhenQueryGiven()
    {
        for (var i = 0; i < 5; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Store.InsertBlueprintAsync(Make.Blueprint($"bp{i}", Time.GetUtcNow()) with { State = i % 2 == 0 ? "uploaded" : "failed" }, Token);
        }

        var filtered = await Store.ListBlueprintsAsync(Make.Tenant, Make.Query(("id", ["bp1", "bp2", "bp4"])), Token);
        Assert.Equal(["bp1", "bp2", "bp4"], filtered.Items.Select(b => b.Id));

        var sorted = await Store.ListBlueprintsAsync(
            Make.Tenant, new ListQuery { Sort = [new SortKey("state", false), new SortKey("created_at", true)] }, Token);
        Assert.Equal(["bp3", "bp1", "bp4", "bp2", "bp0"], sorted.Items.Select(b => b.Id));

        var page = await Store.ListBlueprintsAsync(
            Make.Tenant, new ListQuery { Sort = [new SortKey("id", true)], Offset = 1, Size = 2 }, Token);
        Assert.Equal(["bp3", "bp2"], page.Items.Select(b => b.Id));
        Assert.Equal((5L, 1, 2), (page.Total, page.Offset, page.Size));

        var all = await Store.ListBlueprintsAsync(Make.Tenant, new ListQuery { GetAll = true, Size = 1, Offset = 3 }, Token);
        Assert.Equal((5, 5L), (all.Items.Count, all.Total));

        var searched = await Store.ListBlueprintsAsync(Make.Tenant, new ListQuery { Search = "p3" }, Token);
        Assert.Equal(["bp3"], searched.Items.Select(b => b.Id));

        var ranged = await Store.ListBlueprintsAsync(
            Make.Tenant, Make.Query(("state", ["failed"])) with { Search = "bp" }, Token);
        Assert.Equal(2L, ranged.Total);
        Assert.Equal(["bp1", "bp3"], ranged.Items.Select(b => b.Id));
    }

    [Fact]
    public async Task ListBlueprintsAsync_ThrowsBadParameters_WhenFieldUnknown()
    {
        var sort = await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListBlueprintsAsync(Make.Tenant, new ListQuery { Sort = [new SortKey("nope", false)] }, Token));
        Assert.StartsWith("Sort keys '['nope']' do not exist. Allowed keys are: ['id', ", sort.Message, StringComparison.Ordinal);

        var filter = await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListBlueprintsAsync(Make.Tenant, Make.Query(("plan; DROP TABLE blueprints", ["x"])), Token));
        Assert.Contains("'plan; DROP TABLE blueprints'", filter.Message, StringComparison.Ordinal);

        var range = await AssertStratusAsync(
            ErrorCodes.BadParameters, 400,
            () => Store.ListBlueprintsAsync(Make.Tenant, new ListQuery { Ranges = [new RangeFilter("created_at", "2020-01-01", null)] }, Token));
        Assert.Contains("'created_at'", range.Message, StringComparison.Ordinal);

        await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListBlueprintsAsync(Make.Tenant, Make.Query(("is_hidden", ["maybe"])), Token));
        await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListBlueprintsAsync(Make.Tenant, new ListQuery { Offset = -1 }, Token));
    }

    [Fact]
    public async Task ListBlueprintsAsync_TreatsValuesAsData_WhenTheyLookLikeSql()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("it's", Time.GetUtcNow()), Token);

        var byId = await Store.ListBlueprintsAsync(Make.Tenant, Make.Query(("id", ["it's", "x' OR '1'='1"])), Token);
        var bySearch = await Store.ListBlueprintsAsync(Make.Tenant, new ListQuery { Search = "%" }, Token);

        Assert.Equal(["it's"], byId.Items.Select(b => b.Id));
        Assert.Empty(bySearch.Items);
    }

    [Fact]
    public async Task DeleteBlueprintAsync_ThrowsDependentExists_WhenDeploymentsUseIt()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("lifecycle", Time.GetUtcNow()), Token);
        await Store.InsertDeploymentAsync(Make.Deployment("dep", "lifecycle", Time.GetUtcNow()), [], [], Token);
        await Store.InsertDeploymentAsync(Make.Deployment("bad-input", "lifecycle", Time.GetUtcNow()), [], [], Token);

        var error = await AssertStratusAsync(
            ErrorCodes.DependentExists, 400, () => Store.DeleteBlueprintAsync(Make.Tenant, "lifecycle", Token));

        Assert.Equal(
            "Can't delete blueprint lifecycle - There exist deployments for this blueprint; Deployments ids: bad-input,dep",
            error.Message);
        Assert.NotNull(await Store.GetBlueprintAsync(Make.Tenant, "lifecycle", Token));
    }

    [Fact]
    public async Task DeleteBlueprintAsync_RemovesIt_WhenUnused()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);

        Assert.True(await Store.DeleteBlueprintAsync(Make.Tenant, "bp", Token));
        Assert.Null(await Store.GetBlueprintAsync(Make.Tenant, "bp", Token));
        Assert.False(await Store.DeleteBlueprintAsync(Make.Tenant, "bp", Token));
    }

    [Fact]
    public async Task DeleteBlueprintAsync_StaysConsistent_WhenADeploymentIsCreatedAtTheSameTime()
    {
        var blueprints = Enumerable.Range(0, 6).Select(i => $"bp{i}").ToList();
        foreach (var id in blueprints)
        {
            await Store.InsertBlueprintAsync(Make.Blueprint(id, Time.GetUtcNow()), Token);
        }

        async Task<string> DeleteAsync(string id)
        {
            try
            {
                return await Store.DeleteBlueprintAsync(Make.Tenant, id, Token) ? "deleted" : "absent";
            }
            catch (StratusException e) when (e.ErrorCode == ErrorCodes.DependentExists)
            {
                return "in use";
            }
        }

        async Task<string> CreateAsync(string id)
        {
            try
            {
                await Store.InsertDeploymentAsync(Make.Deployment("dep-" + id, id, Time.GetUtcNow()), [], [], Token);
                return "created";
            }
            catch (StratusException e) when (e.ErrorCode == ErrorCodes.NotFound)
            {
                return "no blueprint";
            }
        }

        var outcomes = await RaceAsync(blueprints.SelectMany(id => new Func<Task<string>>[] { () => DeleteAsync(id), () => CreateAsync(id) }));

        for (var i = 0; i < blueprints.Count; i++)
        {
            var pair = (outcomes[2 * i], outcomes[(2 * i) + 1]);
            Assert.True(pair is ("deleted", "no blueprint") or ("in use", "created"), $"{blueprints[i]}: inconsistent outcome {pair}");
            var stored = (await Store.GetBlueprintAsync(Make.Tenant, blueprints[i], Token)) is not null;
            Assert.Equal(pair.Item1 == "in use", stored);
        }
    }
}
