using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly string[] TwoTenants = ["t1", "t2"];

    /// <summary>The same ids in three tenants: a blueprint, a deployment with one node and instance, an execution, a group.</summary>
    private async Task SeedTenantAsync(string tenant)
    {
        var at = Time.GetUtcNow();
        await Store.InsertBlueprintAsync(
            Make.Blueprint("bp", at, tenant) with { Labels = [new ResourceLabel("origin", tenant, at, "admin")] }, Token);
        await Store.InsertDeploymentAsync(
            Make.Deployment("dep", "bp", at, tenant) with { Labels = [new ResourceLabel("origin", tenant, at, "admin")] },
            [Make.Node("vm", "dep", "bp", tenant)],
            [Make.Instance($"vm_{tenant}", "vm", "dep", tenant: tenant)],
            Token);
        await Store.InsertExecutionAsync(Make.Execution($"ex_{tenant}", "dep", at, tenant: tenant), false, Token);
        await Store.WriteDeploymentGroupAsync(
            new DeploymentGroupWrite
            {
                TenantName = tenant, Id = "g", CreateIfMissing = true, CreatedBy = "admin", CreatedAt = at, AddDeploymentIds = ["dep"],
            },
            Token);
        Time.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Lists_ShowTheRowsOfEveryTenantGiven_WhenTenantsIsSet()
    {
        foreach (var tenant in new[] { "t1", "t2", "t3" })
        {
            await SeedTenantAsync(tenant);
        }

        var query = ListQuery.All with { Tenants = TwoTenants };
        var blueprints = await Store.ListBlueprintsAsync("t3", query, Token);
        var deployments = await Store.ListDeploymentsAsync("t3", query, Token);
        var nodes = await Store.ListNodesAsync("t3", query, Token);
        var instances = await Store.ListNodeInstancesAsync("t3", query, Token);
        var executions = await Store.ListExecutionsAsync("t3", query, Token);
        var groups = await Store.ListDeploymentGroupsAsync("t3", query, Token);

        Assert.Equal(TwoTenants, blueprints.Items.Select(b => b.TenantName));
        Assert.Equal(2L, blueprints.Total);
        Assert.Equal(TwoTenants, blueprints.Items.Select(b => Assert.Single(b.Labels).Value));
        Assert.Equal(TwoTenants, deployments.Items.Select(d => Assert.Single(d.Labels).Value));
        Assert.Equal(TwoTenants, nodes.Items.Select(n => n.TenantName));
        Assert.Equal(["vm_t1", "vm_t2"], instances.Items.Select(i => i.Id));
        Assert.Equal(["ex_t1", "ex_t2"], executions.Items.Select(x => x.Id));
        Assert.Equal(TwoTenants, groups.Items.Select(g => g.TenantName));
        Assert.All(groups.Items, g => Assert.Equal(["dep"], g.DeploymentIds));
        Assert.Equal(["t3"], (await Store.ListBlueprintsAsync("t3", ListQuery.All, Token)).Items.Select(b => b.TenantName));
        Assert.Equal(0L, (await Store.ListDeploymentsAsync("t3", ListQuery.All with { Tenants = [] }, Token)).Total);
    }

    [Fact]
    public async Task Lists_PageAcrossTenantsWithoutOverlap_WhenIdsRepeatInEachTenant()
    {
        foreach (var tenant in new[] { "t1", "t2", "t3" })
        {
            await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow(), tenant), Token);
        }

        var seen = new List<string>();
        for (var offset = 0; offset < 3; offset++)
        {
            var page = await Store.ListBlueprintsAsync(
                "t1", new ListQuery { Tenants = ["t1", "t2", "t3"], Offset = offset, Size = 1, Filters = Make.Query(("id", ["bp"])).Filters }, Token);
            Assert.Equal(3L, page.Total);
            seen.Add(Assert.Single(page.Items).TenantName);
        }

        Assert.Equal(["t1", "t2", "t3"], seen);
    }

    [Fact]
    public async Task Lists_HideOthersPrivateRows_ExceptInTenantsTheCallerAdministers()
    {
        var at = Time.GetUtcNow();
        await Store.InsertBlueprintAsync(Make.Blueprint("carols", at, "t1") with { Visibility = Visibility.Private, CreatedBy = "carol" }, Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("carols", at, "t2") with { Visibility = Visibility.Private, CreatedBy = "carol" }, Token);
        await Store.InsertBlueprintAsync(Make.Blueprint("daves", at, "t1") with { Visibility = Visibility.Private, CreatedBy = "dave" }, Token);

        var asDave = await Store.ListBlueprintsAsync("t1", ListQuery.All with { Tenants = TwoTenants, PrivateVisibleTo = "dave" }, Token);
        var asT2Manager = await Store.ListBlueprintsAsync(
            "t1", ListQuery.All with { Tenants = TwoTenants, PrivateVisibleTo = "dave", PrivateVisibleIn = ["t2"] }, Token);

        Assert.Equal([("daves", "t1")], asDave.Items.Select(b => (b.Id, b.TenantName)));
        Assert.Equal(1L, asDave.Total);
        Assert.Equal(
            [("carols", "t2"), ("daves", "t1")],
            asT2Manager.Items.Select(b => (b.Id, b.TenantName)).Order());
    }

    [Fact]
    public async Task PluginsAndSecrets_ListAGlobalOneOnce_AndNothingPrivateToOtherTenants()
    {
        var at = Time.GetUtcNow();
        await Store.InsertSecretAsync(Make.Secret("s1", at, "t1"), Token);
        await Store.InsertSecretAsync(Make.Secret("s2", at, "t2"), Token);
        await Store.InsertSecretAsync(Make.Secret("s3", at, "t3"), Token);
        await Store.InsertSecretAsync(Make.Secret("shared", at, "t3", Visibility.Global), Token);
        await Store.InsertPluginAsync(Make.Plugin("p1", "one", "1.0", at, "t1"), Token);
        await Store.InsertPluginAsync(Make.Plugin("p3", "three", "1.0", at, "t3"), Token);
        await Store.InsertPluginAsync(Make.Plugin("pg", "global", "1.0", at, "t1") with { Visibility = Visibility.Global }, Token);

        var query = ListQuery.All with { Tenants = TwoTenants };
        var secrets = await Store.ListSecretsAsync("t1", query, Token);
        var plugins = await Store.ListPluginsAsync("t1", query with { Tenants = ["t2"] }, Token);

        Assert.Equal(["s1", "s2", "shared"], secrets.Items.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal(3L, secrets.Total);
        Assert.Equal(["pg"], plugins.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task GetUserRolesByTenantAsync_JoinsDirectAndGroupRoles_PerTenant()
    {
        await Store.CreateUserAsync(new User { Username = "bob", PasswordHash = "h", Role = "default", CreatedAt = Time.GetUtcNow() }, Token);
        await Store.CreateUserAsync(new User { Username = "eve", PasswordHash = "h", Role = "default", CreatedAt = Time.GetUtcNow() }, Token);
        foreach (var tenant in new[] { "t1", "t2", "t3" })
        {
            await Store.EnsureTenantAsync(tenant, Token);
        }

        await Store.CreateUserGroupAsync(new UserGroup { Name = "ops", Role = "default", CreatedAt = Time.GetUtcNow() }, Token);
        await Store.AddUserToGroupAsync("bob", "ops", Token);
        await Store.SetUserTenantRoleAsync("bob", "t1", "viewer", Token);
        await Store.SetGroupTenantRoleAsync("ops", "t1", "manager", GrantMode.Add, Token);
        await Store.SetGroupTenantRoleAsync("ops", "t2", "user", GrantMode.Add, Token);
        await Store.SetUserTenantRoleAsync("eve", "t3", "user", Token);

        var roles = await Store.GetUserRolesByTenantAsync("bob", Token);

        Assert.Equal(TwoTenants, roles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["manager", "viewer"], roles["t1"]);
        Assert.Equal(["user"], roles["t2"]);
        Assert.Empty(await Store.GetUserRolesByTenantAsync("nobody", Token));
    }
}
