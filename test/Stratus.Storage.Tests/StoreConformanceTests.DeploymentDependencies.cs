using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private InterDeploymentDependency Dependency(string id, string? source, string? target, string creator = "nodes.app.properties.db.get_capability") => new()
    {
        Id = id,
        TenantName = Make.Tenant,
        CreatedBy = "admin",
        CreatedAt = Time.GetUtcNow(),
        DependencyCreator = creator,
        SourceDeploymentId = source,
        TargetDeploymentId = target,
    };

    [Fact]
    public async Task InsertDeploymentAsync_StoresItsDependencies_InTheSameTransaction()
    {
        await SeedDeploymentAsync("db");
        await Store.InsertBlueprintAsync(Make.Blueprint("bp2", Time.GetUtcNow()), Token);
        var func = new JsonObject { ["function"] = new JsonObject { ["get_input"] = "x" }, ["context"] = new JsonObject { ["self"] = "app_1" } };

        await Store.InsertDeploymentAsync(
            Make.Deployment("app", "bp2", Time.GetUtcNow()),
            [],
            [],
            [Dependency("i1", "app", "db"), Dependency("i2", "app", null, "outputs.o.value.get_capability") with { TargetDeploymentFunc = func }],
            Token);
        var listed = await Store.ListDependenciesAsync(Make.Tenant, Make.Query(("source_deployment_id", ["app"])), Token);

        Assert.Equal(["i1", "i2"], listed.Items.Select(d => d.Id));
        Assert.Equal("db", listed.Items[0].TargetDeploymentId);
        Assert.Null(listed.Items[1].TargetDeploymentId);
        Assert.Equal(func.ToJsonString(), listed.Items[1].TargetDeploymentFunc?.ToJsonString());
        Assert.Equal(Time.GetUtcNow(), listed.Items[0].CreatedAt);
    }

    [Fact]
    public async Task InsertDeploymentAsync_WritesNothing_WhenADependencyIsRefused()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);

        var error = await Assert.ThrowsAsync<StratusException>(() => Store.InsertDeploymentAsync(
            Make.Deployment("self", "bp", Time.GetUtcNow()), [], [], [Dependency("i1", "self", "self")], Token));

        Assert.Equal(ErrorCodes.Conflict, error.ErrorCode);
        Assert.Null(await Store.GetDeploymentAsync(Make.Tenant, "self", Token));
    }

    [Fact]
    public async Task InsertDependenciesAsync_RefusesACycle_ThroughSeveralDeployments()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await SeedDeploymentAsync(id, instancesPerNode: 0);
        }

        await Store.InsertDependenciesAsync(Make.Tenant, [Dependency("ab", "a", "b"), Dependency("bc", "b", "c")], Token);

        var error = await Assert.ThrowsAsync<StratusException>(() => Store.InsertDependenciesAsync(Make.Tenant, [Dependency("x", "c", "a")], Token));
        var duplicate = await Assert.ThrowsAsync<StratusException>(() => Store.InsertDependenciesAsync(Make.Tenant, [Dependency("ab", "a", "c")], Token));

        Assert.Equal((409, "Cyclic dependency between c and a"), (error.HttpStatus, error.Message));
        Assert.Equal(ErrorCodes.Conflict, duplicate.ErrorCode);
        Assert.Equal(2L, (await Store.ListDependenciesAsync(Make.Tenant, ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task ListDependenciesAsync_FiltersByTargetAndCreator_AndStaysInTheTenant()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await SeedDeploymentAsync(id, instancesPerNode: 0);
        }

        await Store.InsertDependenciesAsync(
            Make.Tenant, [Dependency("ab", "a", "b"), Dependency("cb", "c", "b", "outputs.x.value.get_capability"), Dependency("ac", "a", "c")], Token);

        var toB = await Store.ListDependenciesAsync(Make.Tenant, Make.Query(("target_deployment_id", ["b"])), Token);
        var byCreator = await Store.ListDependenciesAsync(Make.Tenant, Make.Query(("dependency_creator", ["outputs.x.value.get_capability"])), Token);
        var other = await Store.ListDependenciesAsync("other_tenant", ListQuery.All, Token);

        Assert.Equal(["ab", "cb"], toB.Items.Select(d => d.Id));
        Assert.Equal(["cb"], byCreator.Items.Select(d => d.Id));
        Assert.Empty(other.Items);
    }

    [Fact]
    public async Task DeleteDeploymentAsync_RefusesWhileOthersDependOnIt_UnlessForced()
    {
        await SeedDeploymentAsync("db", instancesPerNode: 0);
        await SeedDeploymentAsync("app", instancesPerNode: 0);
        await Store.InsertDependenciesAsync(Make.Tenant, [Dependency("i1", "app", "db")], Token);

        var error = await Assert.ThrowsAsync<StratusException>(() => Store.DeleteDeploymentAsync(Make.Tenant, "db", force: false, Token));
        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "db", force: true, Token));
        var left = await Store.ListDependenciesAsync(Make.Tenant, ListQuery.All, Token);

        Assert.Equal(ErrorCodes.DependentExists, error.ErrorCode);
        Assert.Equal(
            "Can't delete deployment db - the following existing installations depend on it:\n"
            + "[1] Deployment `app` uses capabilities of the current deployment in its node `app`",
            error.Message);
        Assert.Equal(("i1", null), (left.Items.Single().Id, left.Items.Single().TargetDeploymentId));
    }

    [Fact]
    public async Task DeleteDeploymentAsync_TakesItsOwnDependenciesAlong_WhenItIsTheSource()
    {
        await SeedDeploymentAsync("db", instancesPerNode: 0);
        await SeedDeploymentAsync("app", instancesPerNode: 0);
        await Store.InsertDependenciesAsync(Make.Tenant, [Dependency("i1", "app", "db")], Token);

        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "app", force: false, Token));

        Assert.Empty((await Store.ListDependenciesAsync(Make.Tenant, ListQuery.All, Token)).Items);
        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "db", force: false, Token));
    }

    [Fact]
    public async Task DeleteDependenciesAsync_MatchesCreatorSourceAndTarget_AndSetTargetIsACompareAndSet()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await SeedDeploymentAsync(id, instancesPerNode: 0);
        }

        await Store.InsertDependenciesAsync(Make.Tenant, [Dependency("ab", "a", "b"), Dependency("a-", "a", null, "outputs.o.value.get_capability")], Token);

        Assert.Equal(0, await Store.DeleteDependenciesAsync(Make.Tenant, "nodes.app.properties.db.get_capability", "a", "c", Token));
        Assert.True(await Store.SetDependencyTargetAsync(Make.Tenant, "a-", null, "c", Token));
        Assert.False(await Store.SetDependencyTargetAsync(Make.Tenant, "a-", null, "b", Token));
        Assert.Equal(1, await Store.DeleteDependenciesAsync(Make.Tenant, "nodes.app.properties.db.get_capability", "a", null, Token));

        var left = await Store.ListDependenciesAsync(Make.Tenant, ListQuery.All, Token);
        Assert.Equal(("a-", "c"), (left.Items.Single().Id, left.Items.Single().TargetDeploymentId));
    }

    [Fact]
    public async Task DeleteDependenciesAsync_DeletesNothing_WhenTheFilterMatchesSeveral()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await SeedDeploymentAsync(id, instancesPerNode: 0);
        }

        await Store.InsertDependenciesAsync(Make.Tenant, [Dependency("ab", "a", "b"), Dependency("ac", "a", "c")], Token);

        Assert.Equal(2, await Store.DeleteDependenciesAsync(Make.Tenant, "nodes.app.properties.db.get_capability", "a", null, Token));
        Assert.Equal(2, (await Store.ListDependenciesAsync(Make.Tenant, ListQuery.All, Token)).Items.Count);
        Assert.Equal(1, await Store.DeleteDependenciesAsync(Make.Tenant, "nodes.app.properties.db.get_capability", "a", "c", Token));
        Assert.Equal(["ab"], (await Store.ListDependenciesAsync(Make.Tenant, ListQuery.All, Token)).Items.Select(d => d.Id));
    }
}
