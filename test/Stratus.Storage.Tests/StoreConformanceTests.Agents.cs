using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private AgentRecord NewAgent(string name, string? nodeInstanceId = null, string tenant = Make.Tenant) => new()
    {
        Name = name,
        TenantName = tenant,
        CreatedBy = "admin",
        InstallMethod = "provided",
        RabbitMqExchange = name,
        State = AgentState.Started,
        NodeInstanceId = nodeInstanceId,
        CreatedAt = Time.GetUtcNow(),
    };

    [Fact]
    public async Task PutAgentAsync_BindsAnUnboundAgentToItsHost_WhenTheInstallNamesTheInstance()
    {
        await SeedDeploymentAsync();
        await Store.PutAgentAsync(NewAgent("dep_vm_1"), Token);

        var bound = await Store.PutAgentAsync(NewAgent("dep_vm_1", "dep_vm_1") with { State = AgentState.Creating }, Token);
        var stored = await Store.GetAgentAsync(Make.Tenant, "dep_vm_1", Token);

        Assert.Equal(("dep_vm_1", "dep", "vm", AgentState.Started), (bound.NodeInstanceId, bound.DeploymentId, bound.NodeId, bound.State));
        Assert.NotNull(stored);
        Assert.Equal(("dep_vm_1", "dep", "vm", AgentState.Started), (stored.NodeInstanceId, stored.DeploymentId, stored.NodeId, stored.State));
    }

    [Fact]
    public async Task PutAgentAsync_Refuses_WhenTheNameIsTakenByAnotherTenantOrInstance()
    {
        await SeedDeploymentAsync();
        await Store.PutAgentAsync(NewAgent("a1", "dep_vm_1"), Token);

        var otherInstance = await Assert.ThrowsAsync<StratusException>(() => Store.PutAgentAsync(NewAgent("a1", "dep_vm_2"), Token));
        var otherTenant = await Assert.ThrowsAsync<StratusException>(() => Store.PutAgentAsync(NewAgent("a1", tenant: "other"), Token));
        var unknown = await Assert.ThrowsAsync<StratusException>(() => Store.PutAgentAsync(NewAgent("a2", "nope"), Token));

        Assert.Equal(ErrorCodes.Conflict, otherInstance.ErrorCode);
        Assert.Contains("dep_vm_1", otherInstance.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Conflict, otherTenant.ErrorCode);
        Assert.Equal(ErrorCodes.NotFound, unknown.ErrorCode);
        Assert.Null(await Store.GetAgentAsync(Make.Tenant, "a2", Token));
        Assert.Null(await Store.GetAgentAsync("other", "a1", Token));
    }

    [Fact]
    public async Task ListAgentsAsync_FiltersByDeploymentNodesAndInstallMethods_WithinTheTenant()
    {
        await SeedDeploymentAsync("d1");
        await SeedDeploymentAsync("d2");
        await Store.PutAgentAsync(NewAgent("x1", "d1_vm_1"), Token);
        await Store.PutAgentAsync(NewAgent("x2", "d1_vm_2") with { InstallMethod = "remote" }, Token);
        await Store.PutAgentAsync(NewAgent("x3", "d2_vm_1"), Token);
        await Store.PutAgentAsync(NewAgent("x4", tenant: "other"), Token);

        var d1 = await Store.ListAgentsAsync(Make.Tenant, Make.Query(("deployment_id", ["d1"])), Token);
        var provided = await Store.ListAgentsAsync(Make.Tenant, Make.Query(("install_methods", ["provided"])), Token);
        var byInstance = await Store.ListAgentsAsync(Make.Tenant, Make.Query(("node_instance_ids", ["d1_vm_2", "d2_vm_1"])), Token);
        var byNode = await Store.ListAgentsAsync(Make.Tenant, Make.Query(("node_ids", ["vm"])), Token);

        Assert.Equal(["x1", "x2"], d1.Items.Select(a => a.Name));
        Assert.Equal(["x1", "x3"], provided.Items.Select(a => a.Name));
        Assert.Equal(["x2", "x3"], byInstance.Items.Select(a => a.Name));
        Assert.Equal(3L, byNode.Total);
    }

    [Fact]
    public async Task UpdateAgentAsync_ChangesStateOnlyFromAnExpectedState()
    {
        await Store.PutAgentAsync(NewAgent("a1"), Token);

        var refused = await Store.UpdateAgentAsync(Make.Tenant, "a1", new AgentUpdate { State = AgentState.Deleted }, [AgentState.Stopped], Time.GetUtcNow(), Token);
        var done = await Store.UpdateAgentAsync(
            Make.Tenant, "a1", new AgentUpdate { State = AgentState.Stopped, Version = "1.2" }, [AgentState.Started], Time.GetUtcNow(), Token);
        var otherTenant = await Store.UpdateAgentAsync("other", "a1", new AgentUpdate { State = AgentState.Failed }, null, Time.GetUtcNow(), Token);

        Assert.Null(refused);
        Assert.NotNull(done);
        Assert.Equal((AgentState.Stopped, "1.2"), (done.State, done.Version));
        Assert.Null(otherTenant);
        Assert.Equal(AgentState.Stopped, (await Store.GetAgentAsync(null, "a1", Token))!.State);
    }

    [Fact]
    public async Task MarkSilentAgentsAsync_MarksOnlyStartedAgentsWhoseHeartbeatIsOld_AndAHeartbeatRevivesThem()
    {
        var start = Time.GetUtcNow();
        await Store.PutAgentAsync(NewAgent("old") with { LastHeartbeat = start }, Token);
        await Store.PutAgentAsync(NewAgent("fresh") with { LastHeartbeat = start }, Token);
        await Store.PutAgentAsync(NewAgent("stopped") with { LastHeartbeat = start, State = AgentState.Stopped }, Token);
        Time.Advance(TimeSpan.FromSeconds(100));
        await Store.RecordAgentHeartbeatAsync(Make.Tenant, "fresh", Time.GetUtcNow(), Token);

        var silent = await Store.MarkSilentAgentsAsync(Time.GetUtcNow() - TimeSpan.FromSeconds(60), Time.GetUtcNow(), Token);
        var again = await Store.MarkSilentAgentsAsync(Time.GetUtcNow() - TimeSpan.FromSeconds(60), Time.GetUtcNow(), Token);
        var revived = await Store.RecordAgentHeartbeatAsync(Make.Tenant, "old", Time.GetUtcNow(), Token);

        Assert.Equal(["old"], silent);
        Assert.Empty(again);
        Assert.NotNull(revived);
        Assert.Equal((AgentState.Started, Time.GetUtcNow()), (revived.State, revived.LastHeartbeat));
        Assert.Null(await Store.RecordAgentHeartbeatAsync("other", "old", Time.GetUtcNow(), Token));
    }

    [Fact]
    public async Task DeleteDeploymentAsync_RemovesTheAgentsOfItsInstances()
    {
        await SeedDeploymentAsync();
        await Store.PutAgentAsync(NewAgent("a1", "dep_vm_1"), Token);

        await Store.DeleteDeploymentAsync(Make.Tenant, "dep", Token);

        Assert.Null(await Store.GetAgentAsync(Make.Tenant, "a1", Token));
    }
}
