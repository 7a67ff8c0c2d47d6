using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private ResourceLabel Label(string key, string value) => new(key, value, Time.GetUtcNow(), "admin");

    private async Task<Deployment> SeedLabelledAsync(string id, params ResourceLabel[] labels)
    {
        if (await Store.GetBlueprintAsync(Make.Tenant, "bp", Token) is null)
        {
            await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);
        }

        await Store.InsertDeploymentAsync(Make.Deployment(id, "bp", Time.GetUtcNow()) with { Labels = labels }, [], [], Token);
        return (await Store.GetDeploymentAsync(Make.Tenant, id, Token))!;
    }

    private static string[] Pairs(IEnumerable<ResourceLabel> labels) => [.. labels.Select(l => $"{l.Key}={l.Value}")];

    [Fact]
    public async Task InsertBlueprintAsync_StoresLabels_ReadBackWithTheBlueprintAndInLists()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()) with { Labels = [Label("env", "prod"), Label("env", "dev"), Label("arch", "x86")] }, Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("plain", Time.GetUtcNow()), Token);

        var stored = await Store.GetBlueprintAsync(Make.Tenant, "bp", Token);
        var listed = await Store.ListBlueprintsAsync(Make.Tenant, ListQuery.All, Token);

        Assert.Equal(["arch=x86", "env=dev", "env=prod"], Pairs(stored!.Labels));
        Assert.Equal((Time.GetUtcNow(), "admin"), (stored.Labels[0].CreatedAt, stored.Labels[0].CreatedBy));
        Assert.Equal(["arch=x86", "env=dev", "env=prod"], Pairs(listed.Items.Single(b => b.Id == "bp").Labels));
        Assert.Empty(listed.Items.Single(b => b.Id == "plain").Labels);
    }

    [Fact]
    public async Task ReplaceBlueprintLabelsAsync_KeepsUnchangedPairs_AddsNewOnes_AndDropsTheRest()
    {
        var first = Time.GetUtcNow();
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", first) with { Labels = [Label("env", "prod"), Label("tier", "web")] }, Token);
        Time.Advance(TimeSpan.FromMinutes(1));

        var replaced = await Store.ReplaceBlueprintLabelsAsync(Make.Tenant, "bp", [Label("env", "prod"), Label("owner", "ops")], Token);

        Assert.Equal(["env=prod", "owner=ops"], Pairs(replaced.Labels));
        Assert.Equal(first, replaced.Labels[0].CreatedAt);
        Assert.Equal(Time.GetUtcNow(), replaced.Labels[1].CreatedAt);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.ReplaceBlueprintLabelsAsync(Make.Tenant, "ghost", [], Token));
    }

    [Fact]
    public async Task InsertDeploymentAsync_WithAParentLabel_LinksTheChild_AndLabelsTheParentWithItsConsumer()
    {
        await SeedLabelledAsync("env", Label("csys-obj-type", "environment"));

        var child = await SeedLabelledAsync("svc", Label("csys-obj-parent", "env"));
        var parent = await Store.GetDeploymentAsync(Make.Tenant, "env", Token);

        Assert.Equal(["csys-obj-parent=env"], Pairs(child.Labels));
        Assert.Equal(["csys-consumer-id=svc", "csys-obj-type=environment"], Pairs(parent!.Labels));
        Assert.Equal(["svc"], await Store.ListChildDeploymentsAsync(Make.Tenant, "env", Token));
    }

    [Fact]
    public async Task InsertDeploymentAsync_ThrowsParentNotFound_AndWritesNothing()
    {
        await SeedLabelledAsync("env");

        var error = await AssertStratusAsync(
            ErrorCodes.DeploymentParentNotFound,
            404,
            () => SeedLabelledAsync("svc", Label("csys-obj-parent", "env"), Label("csys-obj-parent", "nope"), Label("csys-obj-parent", "gone")));

        Assert.Equal("Environment referenced by `csys-obj-parent` not found: gone,nope", error.Message);
        Assert.Null(await Store.GetDeploymentAsync(Make.Tenant, "svc", Token));
        Assert.Empty((await Store.GetDeploymentAsync(Make.Tenant, "env", Token))!.Labels);
        Assert.Empty(await Store.ListChildDeploymentsAsync(Make.Tenant, "env", Token));
    }

    [Fact]
    public async Task ReplaceDeploymentLabelsAsync_RefusesAParentThatClosesACycle_AndItselfAsParent()
    {
        await SeedLabelledAsync("a");
        await SeedLabelledAsync("b", Label("csys-obj-parent", "a"));
        await SeedLabelledAsync("c", Label("csys-obj-parent", "b"));

        var cycle = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.ReplaceDeploymentLabelsAsync(Make.Tenant, "a", [Label("csys-obj-parent", "c")], Token));
        var self = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.ReplaceDeploymentLabelsAsync(Make.Tenant, "a", [Label("csys-obj-parent", "a")], Token));

        Assert.Equal("cyclic dependencies: a", cycle.Message);
        Assert.Equal("cyclic dependencies: a", self.Message);
        Assert.DoesNotContain((await Store.GetDeploymentAsync(Make.Tenant, "a", Token))!.Labels, l => l.Key == "csys-obj-parent");
        Assert.Empty(await Store.ListChildDeploymentsAsync(Make.Tenant, "c", Token));
    }

    [Fact]
    public async Task ReplaceDeploymentLabelsAsync_MovesTheChild_AndKeepsTheManagersConsumerLabels()
    {
        await SeedLabelledAsync("env1");
        await SeedLabelledAsync("env2");
        await SeedLabelledAsync("svc", Label("csys-obj-parent", "env1"), Label("tier", "web"));

        var moved = await Store.ReplaceDeploymentLabelsAsync(Make.Tenant, "svc", [Label("csys-obj-parent", "env2"), Label("tier", "db")], Token);
        var cleared = await Store.ReplaceDeploymentLabelsAsync(Make.Tenant, "env2", [Label("csys-consumer-id", "forged")], Token);

        Assert.Equal(["csys-obj-parent=env2", "tier=db"], Pairs(moved.Labels));
        Assert.Empty((await Store.GetDeploymentAsync(Make.Tenant, "env1", Token))!.Labels);
        Assert.Equal(["csys-consumer-id=svc"], Pairs(cleared.Labels));
        Assert.Empty(await Store.ListChildDeploymentsAsync(Make.Tenant, "env1", Token));
        Assert.Equal(["svc"], await Store.ListChildDeploymentsAsync(Make.Tenant, "env2", Token));
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.ReplaceDeploymentLabelsAsync(Make.Tenant, "ghost", [], Token));
    }

    [Fact]
    public async Task DeleteDeploymentAsync_TakesTheChildsConsumerLabelOffItsParent()
    {
        await SeedLabelledAsync("env", Label("keep", "me"));
        await SeedLabelledAsync("svc", Label("csys-obj-parent", "env"));

        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "svc", Token));

        Assert.Equal(["keep=me"], Pairs((await Store.GetDeploymentAsync(Make.Tenant, "env", Token))!.Labels));
        Assert.Empty(await Store.ListChildDeploymentsAsync(Make.Tenant, "env", Token));
    }

    [Fact]
    public async Task ListLabelKeysAndValues_AreDistinctAndSorted_WithSearchPagingAndPrivacy()
    {
        await SeedLabelledAsync("d1", Label("env", "prod"), Label("tier", "web"));
        await SeedLabelledAsync("d2", Label("env", "dev"), Label("env", "prod"));
        await Store.InsertDeploymentAsync(
            Make.Deployment("secret", "bp", Time.GetUtcNow()) with { Visibility = Visibility.Private, CreatedBy = "alice", Labels = [Label("hidden", "x")] },
            [],
            [],
            Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("bp2", Time.GetUtcNow()) with { Labels = [Label("arch", "arm")] }, Token);

        var keys = await Store.ListLabelKeysAsync(Make.Tenant, LabeledResource.Deployment, new ListQuery(), Token);
        var forBob = await Store.ListLabelKeysAsync(Make.Tenant, LabeledResource.Deployment, new ListQuery { PrivateVisibleTo = "bob" }, Token);
        var values = await Store.ListLabelValuesAsync(Make.Tenant, LabeledResource.Deployment, "env", new ListQuery { Size = 1, Offset = 1 }, Token);
        var searched = await Store.ListLabelKeysAsync(Make.Tenant, LabeledResource.Deployment, new ListQuery { Search = "ie" }, Token);
        var blueprintKeys = await Store.ListLabelKeysAsync(Make.Tenant, LabeledResource.Blueprint, ListQuery.All, Token);
        var otherTenant = await Store.ListLabelKeysAsync("other", LabeledResource.Deployment, ListQuery.All, Token);

        Assert.Equal(["env", "hidden", "tier"], keys.Items);
        Assert.Equal(3L, keys.Total);
        Assert.Equal(["env", "tier"], forBob.Items);
        Assert.Equal(["prod"], values.Items);
        Assert.Equal((2L, 1, 1), (values.Total, values.Offset, values.Size));
        Assert.Equal(["tier"], searched.Items);
        Assert.Equal(["arch"], blueprintKeys.Items);
        Assert.Empty(otherTenant.Items);
    }
}
