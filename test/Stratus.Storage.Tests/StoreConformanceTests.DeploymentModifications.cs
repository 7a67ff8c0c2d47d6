using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private DeploymentModification Modification(string id, string deploymentId = "dep") => new()
    {
        Id = id,
        TenantName = Make.Tenant,
        DeploymentId = deploymentId,
        CreatedBy = "admin",
        CreatedAt = Time.GetUtcNow(),
        ModifiedNodes = new JsonObject { ["app"] = new JsonObject { ["instances"] = 3 } },
        NodeInstances = new JsonObject { ["added_and_related"] = new JsonArray(), ["before_modification"] = new JsonArray() },
        Context = new JsonObject { ["execution_id"] = "e1" },
    };

    private async Task<HashSet<string>> InstanceIdsAsync(string deploymentId = "dep")
    {
        var page = await Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("deployment_id", [deploymentId])), Token);
        return [.. page.Items.Select(i => i.Id)];
    }

    private async Task StartAppScaleOutAsync(string id)
    {
        await Store.InsertDeploymentModificationAsync(
            new DeploymentModificationStart
            {
                Modification = Modification(id),
                ExpectedInstanceIds = await InstanceIdsAsync(),
                AddedInstances = [Make.Instance("dep_app_3", "app", "dep", 3)],
                Relationships = new Dictionary<string, JsonArray>
                {
                    ["dep_vm_1"] = [new JsonObject { ["type"] = "cloudify.relationships.connected_to", ["target_id"] = "dep_app_3", ["target_name"] = "app" }],
                },
                PlannedNodeInstances = new Dictionary<string, int> { ["app"] = 3 },
                ScalingGroups = new JsonObject { ["g"] = new JsonObject { ["properties"] = new JsonObject { ["planned_instances"] = 2 } } },
            },
            Token);
    }

    [Fact]
    public async Task InsertDeploymentModificationAsync_AddsInstancesAndPlannedCounts_InOneTransaction()
    {
        await SeedDeploymentAsync();

        await StartAppScaleOutAsync("m1");

        var stored = await Store.GetDeploymentModificationAsync(Make.Tenant, "m1", Token);
        var app = await Store.GetNodeAsync(Make.Tenant, "dep", "app", Token);
        var vm1 = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token);
        var deployment = await Store.GetDeploymentAsync(Make.Tenant, "dep", Token);
        Assert.NotNull(stored);
        Assert.Equal((DeploymentModificationStatus.Started, (DateTimeOffset?)null), (stored.Status, stored.EndedAt));
        Assert.Equal("{\"execution_id\":\"e1\"}", stored.Context.ToJsonString());
        Assert.Equal("{\"app\":{\"instances\":3}}", stored.ModifiedNodes.ToJsonString());
        Assert.Contains("dep_app_3", await InstanceIdsAsync());
        Assert.Equal((1, 3), (app!.NumberOfInstances, app.PlannedNumberOfInstances));
        Assert.Equal(("dep_app_3", 2L), (vm1!.Relationships[0]!["target_id"]!.GetValue<string>(), vm1.Version));
        Assert.Equal(2, deployment!.ScalingGroups["g"]!["properties"]!["planned_instances"]!.GetValue<int>());
    }

    [Fact]
    public async Task InsertDeploymentModificationAsync_RefusesASecond_WhileOneIsStarted()
    {
        await SeedDeploymentAsync();
        await StartAppScaleOutAsync("m1");

        var error = await AssertStratusAsync(
            ErrorCodes.ExistingStartedDeploymentModification,
            400,
            async () => await Store.InsertDeploymentModificationAsync(
                new DeploymentModificationStart { Modification = Modification("m2"), ExpectedInstanceIds = await InstanceIdsAsync() }, Token));

        Assert.Contains("Currently started deployment modifications: ['m1']", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetDeploymentModificationAsync(Make.Tenant, "m2", Token));
    }

    [Fact]
    public async Task InsertDeploymentModificationAsync_WritesNothing_WhenInstancesChangedSinceTheRead()
    {
        await SeedDeploymentAsync();
        var stale = await InstanceIdsAsync();
        stale.Remove("dep_app_1");

        await AssertStratusAsync(
            ErrorCodes.Conflict,
            409,
            () => Store.InsertDeploymentModificationAsync(
                new DeploymentModificationStart
                {
                    Modification = Modification("m1"),
                    ExpectedInstanceIds = stale,
                    AddedInstances = [Make.Instance("dep_app_3", "app", "dep", 3)],
                },
                Token));

        Assert.Null(await Store.GetDeploymentModificationAsync(Make.Tenant, "m1", Token));
        Assert.DoesNotContain("dep_app_3", await InstanceIdsAsync());
    }

    [Fact]
    public async Task EndDeploymentModificationAsync_DeletesAndUnlinks_WhenFinished()
    {
        await SeedDeploymentAsync();
        await StartAppScaleOutAsync("m1");

        var ended = await Store.EndDeploymentModificationAsync(
            new DeploymentModificationEnd
            {
                TenantName = Make.Tenant,
                Id = "m1",
                Status = DeploymentModificationStatus.Finished,
                EndedAt = Time.GetUtcNow(),
                DeleteInstanceIds = ["dep_app_1"],
                RemoveRelationshipsTo = new Dictionary<string, IReadOnlySet<string>> { ["dep_vm_1"] = new HashSet<string> { "dep_app_3" } },
                NodeInstanceCounts = new Dictionary<string, int> { ["app"] = 3 },
            },
            Token);

        var vm1 = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token);
        var app = await Store.GetNodeAsync(Make.Tenant, "dep", "app", Token);
        Assert.Equal((DeploymentModificationStatus.Finished, (DateTimeOffset?)Time.GetUtcNow()), (ended.Status, ended.EndedAt));
        Assert.DoesNotContain("dep_app_1", await InstanceIdsAsync());
        Assert.Empty(vm1!.Relationships);
        Assert.Equal(3, app!.NumberOfInstances);
    }

    [Fact]
    public async Task EndDeploymentModificationAsync_RestoresInstancesAndPlannedCounts_WhenRolledBack()
    {
        await SeedDeploymentAsync();
        var before = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token);
        await StartAppScaleOutAsync("m1");

        await Store.EndDeploymentModificationAsync(
            new DeploymentModificationEnd
            {
                TenantName = Make.Tenant,
                Id = "m1",
                Status = DeploymentModificationStatus.RolledBack,
                EndedAt = Time.GetUtcNow(),
                NodeInstances = new JsonObject { ["before_rollback"] = new JsonArray() },
                DeleteInstanceIds = ["dep_app_3"],
                RestoreInstances = [before!, Make.Instance("dep_gone_1", "app", "dep", 9)],
                ResetPlannedNodes = ["app"],
            },
            Token);

        var vm1 = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token);
        var app = await Store.GetNodeAsync(Make.Tenant, "dep", "app", Token);
        var stored = await Store.GetDeploymentModificationAsync(Make.Tenant, "m1", Token);
        Assert.Empty(vm1!.Relationships);
        Assert.Equal(3L, vm1.Version);
        Assert.Equal(["dep_app_1", "dep_app_2", "dep_gone_1", "dep_vm_1", "dep_vm_2"], (await InstanceIdsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal((1, 1), (app!.NumberOfInstances, app.PlannedNumberOfInstances));
        Assert.Equal("{\"before_rollback\":[]}", stored!.NodeInstances.ToJsonString());
    }

    [Fact]
    public async Task EndDeploymentModificationAsync_ChangesNothing_WhenAlreadyEnded()
    {
        await SeedDeploymentAsync();
        await StartAppScaleOutAsync("m1");
        var finish = new DeploymentModificationEnd
        {
            TenantName = Make.Tenant, Id = "m1", Status = DeploymentModificationStatus.Finished, EndedAt = Time.GetUtcNow(),
        };
        await Store.EndDeploymentModificationAsync(finish, Token);

        var error = await AssertStratusAsync(
            ErrorCodes.DeploymentModificationAlreadyEnded,
            400,
            () => Store.EndDeploymentModificationAsync(
                finish with { Status = DeploymentModificationStatus.RolledBack, DeleteInstanceIds = ["dep_app_3"] }, Token));

        Assert.Equal("Cannot rollback deployment modification: m1. It is already in finished status.", error.Message);
        Assert.Contains("dep_app_3", await InstanceIdsAsync());
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.EndDeploymentModificationAsync(finish with { Id = "nope" }, Token));
    }

    [Fact]
    public async Task ListDeploymentModificationsAsync_FiltersByDeploymentAndStatus_InCreationOrder()
    {
        await SeedDeploymentAsync();
        await SeedDeploymentAsync("other");
        await StartAppScaleOutAsync("m1");
        await Store.EndDeploymentModificationAsync(
            new DeploymentModificationEnd { TenantName = Make.Tenant, Id = "m1", Status = DeploymentModificationStatus.Finished, EndedAt = Time.GetUtcNow() },
            Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.InsertDeploymentModificationAsync(
            new DeploymentModificationStart { Modification = Modification("m2"), ExpectedInstanceIds = await InstanceIdsAsync() }, Token);
        await Store.InsertDeploymentModificationAsync(
            new DeploymentModificationStart { Modification = Modification("m3", "other"), ExpectedInstanceIds = await InstanceIdsAsync("other") }, Token);

        var ofDep = await Store.ListDeploymentModificationsAsync(Make.Tenant, Make.Query(("deployment_id", ["dep"])), Token);
        var started = await Store.ListDeploymentModificationsAsync(Make.Tenant, Make.Query(("status", ["started"])), Token);

        Assert.Equal(["m1", "m2"], ofDep.Items.Select(m => m.Id));
        Assert.Equal(["m2", "m3"], started.Items.Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeleteDeploymentAsync_TakesItsModifications_WithIt()
    {
        await SeedDeploymentAsync();
        await StartAppScaleOutAsync("m1");
        await Store.EndDeploymentModificationAsync(
            new DeploymentModificationEnd { TenantName = Make.Tenant, Id = "m1", Status = DeploymentModificationStatus.Finished, EndedAt = Time.GetUtcNow() },
            Token);

        Assert.True(await Store.DeleteDeploymentAsync(Make.Tenant, "dep", Token));

        Assert.Null(await Store.GetDeploymentModificationAsync(Make.Tenant, "m1", Token));
    }
}
