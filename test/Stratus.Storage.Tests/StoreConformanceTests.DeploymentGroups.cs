using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private DeploymentGroupWrite GroupWrite(string id, params string[] add) => new()
    {
        TenantName = Make.Tenant,
        Id = id,
        CreateIfMissing = true,
        CreatedBy = "admin",
        CreatedAt = Time.GetUtcNow(),
        AddDeploymentIds = add,
    };

    [Fact]
    public async Task WriteDeploymentGroupAsync_CreatesThenChanges_KeepingWhatIsNotGiven()
    {
        await SeedDeploymentAsync("d2", instancesPerNode: 0);
        await SeedDeploymentAsync("d1", instancesPerNode: 0);

        var created = await Store.WriteDeploymentGroupAsync(
            GroupWrite("g1", "d2", "d1") with { Description = "web", DefaultBlueprintId = "bp", DefaultInputs = new JsonObject { ["a"] = 1 } }, Token);
        Time.Advance(TimeSpan.FromMinutes(1));
        var changed = await Store.WriteDeploymentGroupAsync(
            GroupWrite("g1") with { CreateIfMissing = false, Visibility = Visibility.Private, RemoveDeploymentIds = ["d2"] }, Token);
        var stored = await Store.GetDeploymentGroupAsync(Make.Tenant, "g1", Token);

        Assert.Equal(["d1", "d2"], created.DeploymentIds);
        Assert.NotNull(stored);
        Assert.Equal(["d1"], stored.DeploymentIds);
        Assert.Equal(("web", "bp", "{\"a\":1}", Visibility.Private), (stored.Description, stored.DefaultBlueprintId, stored.DefaultInputs?.ToJsonString(), stored.Visibility));
        Assert.Equal(created.CreatedAt, stored.CreatedAt);
        Assert.Equal((changed.Visibility, changed.DeploymentIds.Single()), (stored.Visibility, stored.DeploymentIds.Single()));
    }

    [Fact]
    public async Task WriteDeploymentGroupAsync_WritesNothing_WhenADeploymentIsMissing()
    {
        await SeedDeploymentAsync("d1", instancesPerNode: 0);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g1", "d1"), Token);

        var missing = await Assert.ThrowsAsync<StratusException>(
            () => Store.WriteDeploymentGroupAsync(GroupWrite("g1", "ghost") with { ReplaceMembers = true, Description = "changed" }, Token));
        var absent = await Assert.ThrowsAsync<StratusException>(
            () => Store.WriteDeploymentGroupAsync(GroupWrite("nope") with { CreateIfMissing = false }, Token));
        var stored = await Store.GetDeploymentGroupAsync(Make.Tenant, "g1", Token);

        Assert.Equal((404, "Requested `Deployment` with ID `ghost` was not found"), (missing.HttpStatus, missing.Message));
        Assert.Equal("Requested `DeploymentGroup` with ID `nope` was not found", absent.Message);
        Assert.Equal(("d1", null), (stored!.DeploymentIds.Single(), stored.Description));
        Assert.Null(await Store.GetDeploymentGroupAsync(Make.Tenant, "nope", Token));
    }

    [Fact]
    public async Task ListDeploymentGroupsAsync_PagesWithMembers_AndDeploymentsKnowTheirGroups()
    {
        await SeedDeploymentAsync("d1", instancesPerNode: 0);
        await SeedDeploymentAsync("d2", instancesPerNode: 0);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g1", "d1", "d2"), Token);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g2", "d2"), Token);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g3"), Token);

        var page = await Store.ListDeploymentGroupsAsync(Make.Tenant, new ListQuery { Offset = 1, Size = 2 }, Token);
        var groupsOf = await Store.GetGroupIdsOfDeploymentsAsync(Make.Tenant, ["d1", "d2", "d3"], Token);

        Assert.Equal(3L, page.Total);
        Assert.Equal(["g2", "g3"], page.Items.Select(g => g.Id));
        Assert.Equal([["d2"], []], page.Items.Select(g => g.DeploymentIds));
        Assert.Equal(["g1"], groupsOf["d1"]);
        Assert.Equal(["g1", "g2"], groupsOf["d2"]);
        Assert.False(groupsOf.ContainsKey("d3"));
    }

    [Fact]
    public async Task DeleteDeploymentGroupAsync_KeepsDeployments_AndDeletedDeploymentsLeaveGroups()
    {
        await SeedDeploymentAsync("d1", instancesPerNode: 0);
        await SeedDeploymentAsync("d2", instancesPerNode: 0);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g1", "d1", "d2"), Token);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g2", "d1"), Token);

        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "d2", Token));
        Assert.True(await Store.DeleteDeploymentGroupAsync(Make.Tenant, "g2", Token));

        Assert.Equal(["d1"], (await Store.GetDeploymentGroupAsync(Make.Tenant, "g1", Token))!.DeploymentIds);
        Assert.NotNull(await Store.GetDeploymentAsync(Make.Tenant, "d1", Token));
        Assert.False(await Store.DeleteDeploymentGroupAsync(Make.Tenant, "g2", Token));
    }

    [Fact]
    public async Task DeleteDeploymentGroupAndMembersAsync_DeletesAllOrNothing()
    {
        await SeedDeploymentAsync("a1", instancesPerNode: 0);
        await SeedDeploymentAsync("a2", instancesPerNode: 0);
        await SeedDeploymentAsync("outside", instancesPerNode: 0);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g1", "a1", "a2"), Token);
        await Store.InsertDependenciesAsync(Make.Tenant, [Dependency("i1", "outside", "a2")], Token);

        var refused = await Assert.ThrowsAsync<StratusException>(() => Store.DeleteDeploymentGroupAndMembersAsync(Make.Tenant, "g1", force: false, Token));

        Assert.Equal("dependent_exists_error", refused.ErrorCode);
        Assert.NotNull(await Store.GetDeploymentAsync(Make.Tenant, "a1", Token));
        Assert.Equal(["a1", "a2"], (await Store.GetDeploymentGroupAsync(Make.Tenant, "g1", Token))!.DeploymentIds);

        Assert.Equal(["a1", "a2"], await Store.DeleteDeploymentGroupAndMembersAsync(Make.Tenant, "g1", force: true, Token));
        Assert.Null(await Store.GetDeploymentGroupAsync(Make.Tenant, "g1", Token));
        Assert.Null(await Store.GetDeploymentAsync(Make.Tenant, "a1", Token));
        Assert.Null(await Store.GetDeploymentAsync(Make.Tenant, "a2", Token));
        Assert.NotNull(await Store.GetDeploymentAsync(Make.Tenant, "outside", Token));
        Assert.Null(await Store.DeleteDeploymentGroupAndMembersAsync(Make.Tenant, "g1", force: false, Token));
    }

    [Fact]
    public async Task DeleteBlueprintAsync_ClearsTheDefaultBlueprintOfGroups()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);
        await Store.WriteDeploymentGroupAsync(GroupWrite("g1") with { DefaultBlueprintId = "bp" }, Token);

        Assert.True(await Store.DeleteBlueprintAsync(Make.Tenant, "bp", Token));

        Assert.Null((await Store.GetDeploymentGroupAsync(Make.Tenant, "g1", Token))!.DefaultBlueprintId);
    }
}
