using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private async Task<Deployment> SeedDeploymentAsync(string id = "dep", string blueprintId = "bp", int instancesPerNode = 2)
    {
        if (await Store.GetBlueprintAsync(Make.Tenant, blueprintId, Token) is null)
        {
            await Store.InsertBlueprintAsync(Make.Blueprint(blueprintId, Time.GetUtcNow()), Token);
        }

        var deployment = Make.Deployment(id, blueprintId, Time.GetUtcNow());
        Node[] nodes = [Make.Node("vm", id, blueprintId), Make.Node("app", id, blueprintId) with { HostId = "vm" }];
        var instances = nodes
            .SelectMany(n => Enumerable.Range(1, instancesPerNode).Select(i => Make.Instance($"{id}_{n.Id}_{i}", n.Id, id, i)))
            .ToList();
        await Store.InsertDeploymentAsync(deployment, nodes, instances, Token);
        return deployment;
    }

    [Fact]
    public async Task InsertDeploymentAsync_StoresNodesAndInstances_WhenBlueprintExists()
    {
        var deployment = await SeedDeploymentAsync();

        var stored = await Store.GetDeploymentAsync(Make.Tenant, "dep", Token);
        var nodes = await Store.ListNodesAsync(Make.Tenant, Make.Query(("deployment_id", ["dep"])), Token);
        var instances = await Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("deployment_id", ["dep"])), Token);

        Assert.NotNull(stored);
        Assert.Equal("{\"zeta\":1,\"alpha\":\"two\"}", stored.Inputs.ToJsonString());
        Assert.Equal(deployment.Workflows.ToJsonString(), stored.Workflows.ToJsonString());
        Assert.Equal((deployment.Id, deployment.CreatedAt, deployment.InstallationStatus), (stored.Id, stored.CreatedAt, stored.InstallationStatus));
        Assert.Equal(["app", "vm"], nodes.Items.Select(n => n.Id));
        Assert.Equal(4L, instances.Total);
    }

    [Fact]
    public async Task InsertDeploymentAsync_KeepsRuntimeOnlyEvaluation()
    {
        await Store.InsertBlueprintAsync(Make.Blueprint("bp", Time.GetUtcNow()), Token);
        await Store.InsertDeploymentAsync(Make.Deployment("lazy", "bp", Time.GetUtcNow()) with { RuntimeOnlyEvaluation = true }, [], [], Token);
        await Store.InsertDeploymentAsync(Make.Deployment("eager", "bp", Time.GetUtcNow()), [], [], Token);

        Assert.True((await Store.GetDeploymentAsync(Make.Tenant, "lazy", Token))!.RuntimeOnlyEvaluation);
        Assert.False((await Store.GetDeploymentAsync(Make.Tenant, "eager", Token))!.RuntimeOnlyEvaluation);
    }

    [Fact]
    public async Task InsertDeploymentAsync_ThrowsNotFound_WhenBlueprintMissing()
    {
        var error = await AssertStratusAsync(
            ErrorCodes.NotFound, 404, () => Store.InsertDeploymentAsync(Make.Deployment("dep", "nope", Time.GetUtcNow()), [], [], Token));

        Assert.Equal("Requested `Blueprint` with ID `nope` was not found", error.Message);
    }

    [Fact]
    public async Task InsertDeploymentAsync_Throws409_WhenIdExists()
    {
        await SeedDeploymentAsync();

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertDeploymentAsync(Make.Deployment("dep", "bp", Time.GetUtcNow()), [], [], Token));
        Assert.Equal("Deployment with ID `dep` already exists on tenant `default_tenant`", error.Message);
    }

    [Fact]
    public async Task InsertDeploymentAsync_StoresNothing_WhenAnInstanceIdIsTaken()
    {
        await SeedDeploymentAsync();

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict,
            409,
            () => Store.InsertDeploymentAsync(
                Make.Deployment("dep2", "bp", Time.GetUtcNow()),
                [Make.Node("vm", "dep2", "bp")],
                [Make.Instance("dep2_vm_1", "vm", "dep2"), Make.Instance("dep_vm_1", "vm", "dep2")],
                Token));

        Assert.Contains("dep_vm_1", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetDeploymentAsync(Make.Tenant, "dep2", Token));
        Assert.Null(await Store.GetNodeAsync(Make.Tenant, "dep2", "vm", Token));
        Assert.Null(await Store.GetNodeInstanceAsync(Make.Tenant, "dep2_vm_1", Token));
    }

    [Fact]
    public async Task InsertDeploymentAsync_BatchesLargePlans_WhenThousandsOfInstances()
    {
        await SeedDeploymentAsync(instancesPerNode: 1100);

        var instances = await Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("node_id", ["vm"])) with { Size = 10 }, Token);

        Assert.Equal(1100L, instances.Total);
        Assert.Equal(10, instances.Items.Count);
    }

    [Fact]
    public async Task UpdateDeploymentStatusAsync_KeepsStoredValue_WhenArgumentNull()
    {
        await SeedDeploymentAsync();
        Time.Advance(TimeSpan.FromMinutes(1));

        await Store.UpdateDeploymentStatusAsync(Make.Tenant, "dep", "active", null, "exec-1", Token);
        await Store.UpdateDeploymentStatusAsync(Make.Tenant, "dep", null, "requires_attention", null, Token);

        var stored = await Store.GetDeploymentAsync(Make.Tenant, "dep", Token);
        Assert.Equal(("active", "requires_attention", "exec-1"), (stored?.InstallationStatus, stored?.DeploymentStatus, stored?.LatestExecutionId));
        Assert.Equal(Time.GetUtcNow(), stored?.UpdatedAt);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.UpdateDeploymentStatusAsync(Make.Tenant, "nope", "active", null, null, Token));
    }

    [Fact]
    public async Task ListDeploymentsAsync_FiltersByBlueprintAndStatus_WhenQueryGiven()
    {
        await SeedDeploymentAsync("d1", "bp1");
        await SeedDeploymentAsync("d2", "bp2");
        await SeedDeploymentAsync("d3", "bp1");
        await Store.UpdateDeploymentStatusAsync(Make.Tenant, "d3", "active", null, null, Token);

        var byBlueprint = await Store.ListDeploymentsAsync(Make.Tenant, Make.Query(("blueprint_id", ["bp1"])), Token);
        var active = await Store.ListDeploymentsAsync(
            Make.Tenant, Make.Query(("blueprint_id", ["bp1", "bp2"]), ("installation_status", ["active"])), Token);
        var noLatest = await Store.ListDeploymentsAsync(Make.Tenant, Make.Query(("latest_execution_id", [])), Token);

        Assert.Equal(["d1", "d3"], byBlueprint.Items.Select(d => d.Id));
        Assert.Equal(["d3"], active.Items.Select(d => d.Id));
        Assert.Equal(3L, noLatest.Total);
    }

    [Fact]
    public async Task DeleteDeploymentAsync_RemovesEverythingBelowIt_WhenItExists()
    {
        await SeedDeploymentAsync();
        await SeedDeploymentAsync("keep");
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow(), ExecutionStatus.Terminated), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("e2", "keep", Time.GetUtcNow()), false, Token);
        await Store.InsertTaskGraphAsync(Make.Graph("g1", "e1", Time.GetUtcNow()), [Make.Operation("o1", "g1", Time.GetUtcNow())], Token);
        await Store.InsertEventsAsync([Make.Event("e1", Time.GetUtcNow(), "gone"), Make.Event("e2", Time.GetUtcNow(), "kept")], Token);

        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "dep", Token));

        Assert.Null(await Store.GetDeploymentAsync(Make.Tenant, "dep", Token));
        Assert.Null(await Store.GetNodeAsync(Make.Tenant, "dep", "vm", Token));
        Assert.Null(await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token));
        Assert.Null(await Store.GetExecutionAsync(null, "e1", Token));
        Assert.Empty(await Store.ListTaskGraphsAsync("e1", Token));
        Assert.Null(await Store.GetOperationAsync("o1", Token));
        Assert.Equal(["kept"], (await Store.ListEventsAsync(Make.Tenant, ListQuery.All, Token)).Items.Select(e => e.Message));
        Assert.Equal(4L, (await Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("deployment_id", ["keep"])) with { Size = 0 }, Token)).Total);
        Assert.False(await Store.DeleteDeploymentAsync(Make.Tenant, "dep", Token));
    }

    [Theory]
    [InlineData(ExecutionStatus.Started)]
    [InlineData(ExecutionStatus.Queued)]
    public async Task DeleteDeploymentAsync_Refuses_WhileAnExecutionOfItIsActiveOrWaiting(string status)
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow(), status), false, Token);

        var error = await Assert.ThrowsAsync<StratusException>(() => Store.DeleteDeploymentAsync(Make.Tenant, "dep", Token));

        Assert.Equal(ErrorCodes.DependentExists, error.ErrorCode);
        Assert.NotNull(await Store.GetDeploymentAsync(Make.Tenant, "dep", Token));
        Assert.Equal(status, (await Store.GetExecutionAsync(Make.Tenant, "e1", Token))?.Status);
    }
}
