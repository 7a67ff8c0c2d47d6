using Stratus.Core.Errors;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task InsertTaskGraphAsync_StoresGraphWithOperations_WhenExecutionExists()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token);
        var operations = Enumerable.Range(0, 900)
            .Select(i => Make.Operation($"o{i:D4}", "g1", Time.GetUtcNow(), i == 0 ? [] : [$"o{i - 1:D4}"]))
            .ToList();

        await Store.InsertTaskGraphAsync(Make.Graph("g1", "e1", Time.GetUtcNow()), operations, Token);

        var graphs = await Store.ListTaskGraphsAsync("e1", Token);
        var stored = await Store.ListOperationsAsync("g1", Token);
        var one = await Store.GetOperationAsync("o0002", Token);
        Assert.Equal([("g1", "install", "pending")], graphs.Select(g => (g.Id, g.Name, g.State)));
        Assert.Equal(operations.Select(o => o.Id), stored.Select(o => o.Id));
        Assert.NotNull(one);
        Assert.Equal(["o0001"], one.Dependencies);
        Assert.Equal(operations[2].Parameters.ToJsonString(), one.Parameters.ToJsonString());
        Assert.Equal((operations[2].Name, operations[2].Type, operations[2].CreatedAt), (one.Name, one.Type, one.CreatedAt));
        Assert.Null(await Store.GetOperationAsync("nope", Token));
    }

    [Fact]
    public async Task InsertTaskGraphAsync_Rejects_WhenExecutionMissingOrGraphExists()
    {
        await AssertStratusAsync(
            ErrorCodes.NotFound, 404, () => Store.InsertTaskGraphAsync(Make.Graph("g1", "nope", Time.GetUtcNow()), [], Token));
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token);
        await Store.InsertTaskGraphAsync(Make.Graph("g1", "e1", Time.GetUtcNow()), [], Token);

        await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertTaskGraphAsync(Make.Graph("g1", "e1", Time.GetUtcNow()), [], Token));
    }

    [Fact]
    public async Task UpdateOperationStatesAsync_SetsEachState_WhenGivenABatch()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token);
        await Store.InsertTaskGraphAsync(
            Make.Graph("g1", "e1", Time.GetUtcNow()),
            [Make.Operation("a", "g1", Time.GetUtcNow()), Make.Operation("b", "g1", Time.GetUtcNow()), Make.Operation("c", "g1", Time.GetUtcNow())],
            Token);

        await Store.UpdateOperationStatesAsync([("a", "succeeded", 0), ("b", "failed", 0)], Token);
        await Store.UpdateTaskGraphStateAsync("g1", "failed", Token);

        var states = (await Store.ListOperationsAsync("g1", Token)).Select(o => (o.Id, o.State));
        Assert.Equal([("a", "succeeded"), ("b", "failed"), ("c", "pending")], states);
        Assert.Equal("failed", (await Store.ListTaskGraphsAsync("e1", Token))[0].State);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.UpdateTaskGraphStateAsync("nope", "failed", Token));
    }

    [Fact]
    public async Task InsertOperationsAsync_AddsToStoredGraph_AndRejectsMissingGraphOrTakenId()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token);
        await Store.InsertTaskGraphAsync(Make.Graph("g1", "e1", Time.GetUtcNow()), [Make.Operation("a", "g1", Time.GetUtcNow())], Token);
        Time.Advance(TimeSpan.FromSeconds(1));

        await Store.InsertOperationsAsync("g1", [Make.Operation("b", "g1", Time.GetUtcNow(), "a"), Make.Operation("c", "g1", Time.GetUtcNow(), "b")], Token);

        var stored = await Store.ListOperationsAsync("g1", Token);
        Assert.Equal(["a", "b", "c"], stored.Select(o => o.Id));
        Assert.Equal(["b"], stored[2].Dependencies);
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.InsertOperationsAsync("nope", [Make.Operation("d", "nope", Time.GetUtcNow())], Token));
        await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertOperationsAsync("g1", [Make.Operation("d", "g1", Time.GetUtcNow()), Make.Operation("a", "g1", Time.GetUtcNow())], Token));
        Assert.Equal(3, (await Store.ListOperationsAsync("g1", Token)).Count);
    }
}
