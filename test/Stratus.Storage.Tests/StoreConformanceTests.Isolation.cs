using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task TenantScopedCalls_SeeNothingOfAnotherTenant_WhenIdsAreKnown()
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow()), false, Token);
        await Store.InsertEventsAsync([Make.Event("e1", Time.GetUtcNow(), "hello")], Token);
        const string other = "intruder";

        Assert.Null(await Store.GetDeploymentAsync(other, "dep", Token));
        Assert.Null(await Store.GetNodeInstanceAsync(other, "dep_vm_1", Token));
        Assert.Null(await Store.GetExecutionAsync(other, "e1", Token));
        Assert.Equal(0L, (await Store.ListDeploymentsAsync(other, ListQuery.All, Token)).Total);
        Assert.Equal(0L, (await Store.ListNodesAsync(other, ListQuery.All, Token)).Total);
        Assert.Equal(0L, (await Store.ListNodeInstancesAsync(other, ListQuery.All, Token)).Total);
        Assert.Equal(0L, (await Store.ListExecutionsAsync(other, ListQuery.All, Token)).Total);
        Assert.Equal(0L, (await Store.ListEventsAsync(other, ListQuery.All, Token)).Total);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.UpdateDeploymentStatusAsync(other, "dep", "active", null, null, Token));
        await AssertStratusAsync(
            ErrorCodes.NotFound, 404, () => Store.InsertExecutionAsync(Make.Execution("e2", "dep", Time.GetUtcNow(), tenant: other), true, Token));
        Assert.False(await Store.DeleteDeploymentAsync(other, "dep", Token));
        Assert.False(await Store.DeleteBlueprintAsync(other, "bp", Token));

        await Store.SetNodeInstanceStatesAsync(other, [("dep_vm_1", NodeInstanceState.Deleted)], Token);
        Assert.Equal(NodeInstanceState.Uninitialized, (await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token))?.State);
        Assert.NotNull(await Store.GetDeploymentAsync(Make.Tenant, "dep", Token));
    }

    [Fact]
    public async Task ListBlueprintsAsync_ShowsAPrivateOneOnlyToItsCreator_WhenPrivateVisibleToIsSet()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("shared", Time.GetUtcNow()), Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("mine", Time.GetUtcNow()) with { Visibility = Visibility.Private, CreatedBy = "carol" }, Token);

        var asDave = await Store.ListBlueprintsAsync(Make.Tenant, ListQuery.All with { PrivateVisibleTo = "dave" }, Token);
        var asCarol = await Store.ListBlueprintsAsync(Make.Tenant, ListQuery.All with { PrivateVisibleTo = "carol" }, Token);
        var asAdmin = await Store.ListBlueprintsAsync(Make.Tenant, ListQuery.All, Token);

        Assert.Equal(["shared"], asDave.Items.Select(b => b.Id));
        Assert.Equal(1L, asDave.Total);
        Assert.Equal(["mine", "shared"], asCarol.Items.Select(b => b.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2L, asAdmin.Total);
    }
}
