using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task SetAgentTokenAsync_FindsTheAgentByItsHash_ReplacesTheOldOne_AndDeletedAgentsLoseIt()
    {
        await SeedDeploymentAsync();
        await Store.PutAgentAsync(NewAgent("dep_vm_1", "dep_vm_1"), Token);
        var at = Time.GetUtcNow();

        Assert.True(await Store.SetAgentTokenAsync(Make.Tenant, "dep_vm_1", "sha256$first", at, Token));
        var first = await Store.GetAgentByTokenHashAsync("sha256$first", Token);
        Assert.True(await Store.SetAgentTokenAsync(Make.Tenant, "dep_vm_1", "sha256$second", at, Token));
        var replaced = await Store.GetAgentByTokenHashAsync("sha256$first", Token);
        var second = await Store.GetAgentByTokenHashAsync("sha256$second", Token);
        var otherTenant = await Store.SetAgentTokenAsync("other", "dep_vm_1", "sha256$third", at, Token);
        var unknown = await Store.SetAgentTokenAsync(Make.Tenant, "nope", "sha256$fourth", at, Token);

        Assert.Equal(("dep_vm_1", Make.Tenant, "dep"), (first?.Name, first?.TenantName, first?.DeploymentId));
        Assert.Null(replaced);
        Assert.Equal("dep_vm_1", second?.Name);
        Assert.False(otherTenant);
        Assert.False(unknown);

        await Store.UpdateAgentAsync(Make.Tenant, "dep_vm_1", new AgentUpdate { State = AgentState.Deleted }, null, at, Token);
        Assert.Null(await Store.GetAgentByTokenHashAsync("sha256$second", Token));
        Assert.False(await Store.SetAgentTokenAsync(Make.Tenant, "dep_vm_1", "sha256$again", at, Token));

        // Brought back by a reinstall, the agent needs a new token: the old one stays dead.
        await Store.UpdateAgentAsync(Make.Tenant, "dep_vm_1", new AgentUpdate { State = AgentState.Creating }, null, at, Token);
        Assert.Null(await Store.GetAgentByTokenHashAsync("sha256$second", Token));
    }
}
