using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task GetNodeAsync_ReturnsNodeOfThatDeployment_WhenSeveralShareTheName()
    {
        await SeedDeploymentAsync("d1");
        await SeedDeploymentAsync("d2");

        var node = await Store.GetNodeAsync(Make.Tenant, "d2", "app", Token);

        Assert.NotNull(node);
        Assert.Equal(("d2", "vm", "bp"), (node.DeploymentId, node.HostId, node.BlueprintId));
        Assert.Equal(["cloudify.nodes.Root"], node.TypeHierarchy);
        Assert.Equal(8080, node.Properties["port"]!.GetValue<int>());
        Assert.Equal("host", node.Relationships[0]!["target_id"]!.GetValue<string>());
        Assert.Null(await Store.GetNodeAsync(Make.Tenant, "d3", "app", Token));
        Assert.Null(await Store.GetNodeAsync("other", "d2", "app", Token));
    }

    [Fact]
    public async Task ListNodeInstancesAsync_FiltersByNodeAndIndex_WhenQueryGiven()
    {
        await SeedDeploymentAsync(instancesPerNode: 3);

        var second = await Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("node_id", ["vm"]), ("index", ["2", "3"])), Token);
        var sorted = await Store.ListNodeInstancesAsync(Make.Tenant, new ListQuery { Sort = [new SortKey("id", true)], Size = 2 }, Token);

        Assert.Equal(["dep_vm_2", "dep_vm_3"], second.Items.Select(i => i.Id));
        Assert.Equal(["dep_vm_3", "dep_vm_2"], sorted.Items.Select(i => i.Id));
        Assert.Equal(6L, sorted.Total);
        await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("index", ["two"])), Token));
    }

    [Fact]
    public async Task UpdateNodeInstanceAsync_AppliesAndIncrementsVersion_WhenVersionCurrentOrNewer()
    {
        await SeedDeploymentAsync();
        var props = new JsonObject { ["ip"] = "10.0.0.9", ["nested"] = new JsonObject { ["b"] = 1, ["a"] = 2 } };

        var first = await Store.UpdateNodeInstanceAsync(
            Make.Tenant, "dep_vm_1", new NodeInstanceUpdate { RuntimeProperties = props }, expectedVersion: 1, Token);
        var second = await Store.UpdateNodeInstanceAsync(
            Make.Tenant, "dep_vm_1", new NodeInstanceUpdate { State = "started" }, expectedVersion: 5, Token);

        Assert.Equal((2L, "uninitialized"), (first.Version, first.State));
        Assert.Equal((3L, "started"), (second.Version, second.State));
        Assert.Equal(props.ToJsonString(), second.RuntimeProperties.ToJsonString());
        var read = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token);
        Assert.Equal((3L, "started", props.ToJsonString()), (read?.Version, read?.State, read?.RuntimeProperties.ToJsonString()));
    }

    [Fact]
    public async Task UpdateNodeInstanceAsync_Throws409_WhenStoredVersionIsNewer()
    {
        await SeedDeploymentAsync();
        for (var i = 0; i < 3; i++)
        {
            await Store.UpdateNodeInstanceAsync(Make.Tenant, "dep_vm_1", new NodeInstanceUpdate { State = "creating" }, null, Token);
        }

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict,
            409,
            () => Store.UpdateNodeInstanceAsync(
                Make.Tenant, "dep_vm_1", new NodeInstanceUpdate { RuntimeProperties = new JsonObject { ["x"] = 1 } }, 1, Token));

        Assert.Equal("Node instance update conflict [current version=4, update version=1]", error.Message);
        var stored = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_1", Token);
        Assert.Equal((4L, "10.0.0.1"), (stored?.Version, stored?.RuntimeProperties["ip"]?.GetValue<string>()));
    }

    [Fact]
    public async Task UpdateNodeInstanceAsync_ThrowsNotFound_WhenInstanceMissing()
    {
        await SeedDeploymentAsync();

        var error = await AssertStratusAsync(
            ErrorCodes.NotFound, 404, () => Store.UpdateNodeInstanceAsync(Make.Tenant, "nope", new NodeInstanceUpdate { State = "started" }, 1, Token));
        await AssertStratusAsync(
            ErrorCodes.NotFound, 404, () => Store.UpdateNodeInstanceAsync("other", "dep_vm_1", new NodeInstanceUpdate { State = "started" }, 1, Token));

        Assert.Equal("Requested `NodeInstance` with ID `nope` was not found", error.Message);
    }

    [Fact]
    public async Task UpdateNodeInstanceAsync_LetsExactlyOneWin_WhenTwoRaceWithTheSameVersion()
    {
        await SeedDeploymentAsync(instancesPerNode: 10);
        var ids = Enumerable.Range(1, 10).Select(i => $"dep_vm_{i}").ToList();

        async Task<bool> TryUpdateAsync(string id, string writer)
        {
            try
            {
                await Store.UpdateNodeInstanceAsync(
                    Make.Tenant, id, new NodeInstanceUpdate { RuntimeProperties = new JsonObject { ["writer"] = writer } }, 1, Token);
                return true;
            }
            catch (StratusException e) when (e.ErrorCode == ErrorCodes.Conflict)
            {
                return false;
            }
        }

        var races = ids.Select(id => (Func<Task<(string Id, bool[] Outcomes)>>)(async () =>
            (id, await RaceAsync<bool>([() => TryUpdateAsync(id, "a"), () => TryUpdateAsync(id, "b")]))));

        foreach (var (id, outcomes) in await RaceAsync(races))
        {
            Assert.True(outcomes.Count(won => won) == 1, $"{id}: expected one winner and one conflict, got [{string.Join(", ", outcomes)}]");
            var stored = await Store.GetNodeInstanceAsync(Make.Tenant, id, Token);
            Assert.Equal(2L, stored?.Version);
            Assert.Equal(outcomes[0] ? "a" : "b", stored?.RuntimeProperties["writer"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task SetNodeInstanceStatesAsync_SetsEveryState_WhenGivenABatch()
    {
        await SeedDeploymentAsync(instancesPerNode: 500);
        var states = Enumerable.Range(1, 500).Select(i => ($"dep_vm_{i}", i % 2 == 0 ? "started" : "creating")).ToList();

        await Store.SetNodeInstanceStatesAsync(Make.Tenant, states, Token);

        var started = await Store.ListNodeInstancesAsync(Make.Tenant, Make.Query(("state", ["started"])) with { Size = 0 }, Token);
        var app = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_app_1", Token);
        var vm = await Store.GetNodeInstanceAsync(Make.Tenant, "dep_vm_3", Token);
        Assert.Equal(250L, started.Total);
        Assert.Equal(("uninitialized", 1L), (app?.State, app?.Version));
        Assert.Equal(("creating", 2L), (vm?.State, vm?.Version));
    }
}
