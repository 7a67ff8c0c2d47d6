using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task InsertExecutionAsync_RoundTripsEveryField_WhenIdIsNew()
    {
        await SeedDeploymentAsync();
        var execution = Make.Execution("e1", "dep", Time.GetUtcNow()) with
        {
            IsDryRun = true,
            AllowCustomParameters = true,
            TokenHash = "abc",
            StartedAt = Time.GetUtcNow().AddSeconds(1),
            TotalOperations = 3,
        };

        await Store.InsertExecutionAsync(execution, exclusiveOnDeployment: true, Token);
        var stored = await Store.GetExecutionAsync(Make.Tenant, "e1", Token);

        Assert.NotNull(stored);
        Assert.Equal(execution.Parameters.ToJsonString(), stored.Parameters.ToJsonString());
        Assert.Equal(execution with { Parameters = stored.Parameters }, stored);
        Assert.Equal("e1", (await Store.GetExecutionAsync(null, "e1", Token))?.Id);
        Assert.Null(await Store.GetExecutionAsync("other", "e1", Token));
    }

    [Fact]
    public async Task InsertExecutionAsync_Throws409_WhenIdExists()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow(), workflowId: "create_snapshot"), false, Token);

        var error = await AssertStratusAsync(
            ErrorCodes.Conflict, 409, () => Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token));
        Assert.Contains("`e1`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertExecutionAsync_ThrowsNotFound_WhenDeploymentMissing()
    {
        var error = await AssertStratusAsync(
            ErrorCodes.NotFound, 404, () => Store.InsertExecutionAsync(Make.Execution("e1", "nope", Time.GetUtcNow()), true, Token));
        Assert.Equal("Requested `Deployment` with ID `nope` was not found", error.Message);
    }

    [Fact]
    public async Task InsertExecutionAsync_RefusesExclusiveStart_WhenAnotherExecutionIsActive()
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("773e", "dep", Time.GetUtcNow()), true, Token);

        var error = await AssertStratusAsync(
            ErrorCodes.ExistingRunningExecution, 400, () => Store.InsertExecutionAsync(Make.Execution("e2", "dep", Time.GetUtcNow()), true, Token));

        Assert.Equal(
            "The following executions are currently running for this deployment: [<Execution id=`773e` tenant=`default_tenant` "
                + "status=`pending` workflow_id=`install`>]. To execute this workflow anyway, pass \"force=true\" as a query "
                + "parameter to this request",
            error.Message);
        Assert.Null(await Store.GetExecutionAsync(null, "e2", Token));

        await Store.InsertExecutionAsync(Make.Execution("forced", "dep", Time.GetUtcNow()), exclusiveOnDeployment: false, Token);
        Assert.NotNull(await Store.GetExecutionAsync(null, "forced", Token));
    }

    [Fact]
    public async Task InsertExecutionAsync_AllowsExclusiveStart_WhenPreviousExecutionsEnded()
    {
        await SeedDeploymentAsync();
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow(), ExecutionStatus.Terminated), true, Token);
        await Store.InsertExecutionAsync(Make.Execution("e2", "dep", Time.GetUtcNow(), ExecutionStatus.Failed), true, Token);
        await Store.InsertExecutionAsync(Make.Execution("e3", "dep", Time.GetUtcNow(), ExecutionStatus.Cancelled), true, Token);

        await Store.InsertExecutionAsync(Make.Execution("e4", "dep", Time.GetUtcNow()), true, Token);

        Assert.Equal(4L, (await Store.ListExecutionsAsync(Make.Tenant, Make.Query(("deployment_id", ["dep"])), Token)).Total);
    }

    [Fact]
    public async Task InsertExecutionAsync_AdmitsExactlyOne_WhenExclusiveStartsRace()
    {
        var deployments = Enumerable.Range(0, 6).Select(d => $"dep{d}").ToList();
        foreach (var deployment in deployments)
        {
            await SeedDeploymentAsync(deployment, instancesPerNode: 1);
        }

        async Task<(string Deployment, bool Started)> TryStartAsync(string deployment, int i)
        {
            try
            {
                await Store.InsertExecutionAsync(Make.Execution($"{deployment}-e{i}", deployment, Time.GetUtcNow()), true, Token);
                return (deployment, true);
            }
            catch (StratusException e) when (e.ErrorCode == ErrorCodes.ExistingRunningExecution)
            {
                return (deployment, false);
            }
        }

        var outcomes = await RaceAsync(
            deployments.SelectMany(d => Enumerable.Range(0, 6).Select(i => (Func<Task<(string Deployment, bool Started)>>)(() => TryStartAsync(d, i)))));

        foreach (var deployment in deployments)
        {
            var started = outcomes.Count(o => o.Deployment == deployment && o.Started);
            Assert.True(started == 1, $"{deployment}: expected one started execution among 6 racers, got {started}");
        }

        Assert.Equal(6L, (await Store.ListExecutionsAsync(Make.Tenant, ListQuery.All, Token)).Total);
    }

    [Fact]
    public async Task GetExecutionByTokenHashAsync_FindsExecution_OnlyWhileActive()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow(), tenant: "t2") with { TokenHash = "h1" }, false, Token);

        Assert.Equal("e1", (await Store.GetExecutionByTokenHashAsync("h1", Token))?.Id);
        Assert.Null(await Store.GetExecutionByTokenHashAsync("h2", Token));

        await Store.TryTransitionExecutionAsync(
            "e1", new ExecutionTransition { To = ExecutionStatus.Terminated, ExpectedFrom = [ExecutionStatus.Pending] }, Token);
        Assert.Null(await Store.GetExecutionByTokenHashAsync("h1", Token));
    }

    [Fact]
    public async Task TryTransitionExecutionAsync_ChangesStatus_OnlyFromExpectedStates()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token);
        var ended = Time.GetUtcNow().AddMinutes(5);

        var wrong = await Store.TryTransitionExecutionAsync(
            "e1", new ExecutionTransition { To = ExecutionStatus.Failed, ExpectedFrom = [ExecutionStatus.Started] }, Token);
        var started = await Store.TryTransitionExecutionAsync(
            "e1", new ExecutionTransition { To = ExecutionStatus.Started, ExpectedFrom = [ExecutionStatus.Pending, ExecutionStatus.Queued], StartedAt = Time.GetUtcNow() }, Token);
        var failed = await Store.TryTransitionExecutionAsync(
            "e1", new ExecutionTransition { To = ExecutionStatus.Failed, ExpectedFrom = [ExecutionStatus.Started], Error = "boom", EndedAt = ended }, Token);
        var missing = await Store.TryTransitionExecutionAsync(
            "nope", new ExecutionTransition { To = ExecutionStatus.Failed, ExpectedFrom = [ExecutionStatus.Started] }, Token);

        Assert.Equal((false, true, true, false), (wrong, started, failed, missing));
        var stored = await Store.GetExecutionAsync(null, "e1", Token);
        Assert.Equal((ExecutionStatus.Failed, "boom", Time.GetUtcNow(), ended), (stored?.Status, stored?.Error, stored?.StartedAt, stored?.EndedAt));
    }

    [Fact]
    public async Task UpdateExecutionProgressAsync_SetsCounters_WhenExecutionExists()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow()), false, Token);

        await Store.UpdateExecutionProgressAsync("e1", 10, 4, Token);

        var stored = await Store.GetExecutionAsync(null, "e1", Token);
        Assert.Equal((10, 4), (stored?.TotalOperations, stored?.FinishedOperations));
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.UpdateExecutionProgressAsync("nope", 1, 1, Token));
    }

    [Fact]
    public async Task ListExecutionsByStatusAsync_ListsAcrossTenantsOldestFirst_WhenStatusesMatch()
    {
        await Store.InsertExecutionAsync(Make.Execution("new", null, Time.GetUtcNow().AddMinutes(2), ExecutionStatus.Started, tenant: "a"), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("old", null, Time.GetUtcNow(), ExecutionStatus.Pending, tenant: "b"), false, Token);
        await Store.InsertExecutionAsync(Make.Execution("done", null, Time.GetUtcNow(), ExecutionStatus.Terminated), false, Token);

        var resumable = await Store.ListExecutionsByStatusAsync([ExecutionStatus.Pending, ExecutionStatus.Started], Token);

        Assert.Equal(["old", "new"], resumable.Select(e => e.Id));
        Assert.Empty(await Store.ListExecutionsByStatusAsync([], Token));
    }

    [Fact]
    public async Task ListExecutionsAsync_FiltersSortsAndRejectsBadValues_WhenQueryGiven()
    {
        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Store.InsertExecutionAsync(
                Make.Execution($"e{i}", null, Time.GetUtcNow(), workflowId: i == 0 ? "create_deployment_environment" : "install") with { IsSystemWorkflow = i == 0 },
                false,
                Token);
        }

        var system = await Store.ListExecutionsAsync(Make.Tenant, Make.Query(("is_system_workflow", ["True"])), Token);
        var newest = await Store.ListExecutionsAsync(Make.Tenant, new ListQuery { Sort = [new SortKey("created_at", true)], Size = 2 }, Token);
        var since = await Store.ListExecutionsAsync(Make.Tenant, Make.Query(("created_at", [Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)])), Token);

        Assert.Equal(["e0"], system.Items.Select(e => e.Id));
        Assert.Equal(["e3", "e2"], newest.Items.Select(e => e.Id));
        Assert.Equal(["e3"], since.Items.Select(e => e.Id));
        await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListExecutionsAsync(Make.Tenant, Make.Query(("is_system_workflow", ["yes"])), Token));
        await AssertStratusAsync(
            ErrorCodes.BadParameters, 400, () => Store.ListExecutionsAsync(Make.Tenant, Make.Query(("created_at", ["yesterday"])), Token));
    }

    [Fact]
    public async Task SetExecutionTokenHashAsync_ReplacesToken_OnlyWhileActive_KeepingThePreviousOneValid()
    {
        await Store.InsertExecutionAsync(Make.Execution("e1", null, Time.GetUtcNow(), ExecutionStatus.Started) with { TokenHash = "old" }, false, Token);
        await Store.InsertExecutionAsync(Make.Execution("e2", null, Time.GetUtcNow(), ExecutionStatus.Terminated) with { TokenHash = "t2" }, false, Token);

        Assert.True(await Store.SetExecutionTokenHashAsync("e1", "new", Token));
        Assert.False(await Store.SetExecutionTokenHashAsync("e2", "stolen", Token));
        Assert.False(await Store.SetExecutionTokenHashAsync("nope", "x", Token));

        // Operations the earlier run sent still carry the replaced token; one replacement later it is gone.
        Assert.Equal("e1", (await Store.GetExecutionByTokenHashAsync("old", Token))?.Id);
        Assert.Equal("e1", (await Store.GetExecutionByTokenHashAsync("new", Token))?.Id);
        Assert.True(await Store.SetExecutionTokenHashAsync("e1", "newer", Token));
        Assert.Null(await Store.GetExecutionByTokenHashAsync("old", Token));
        Assert.Equal("e1", (await Store.GetExecutionByTokenHashAsync("new", Token))?.Id);
        Assert.Equal("t2", (await Store.GetExecutionAsync(null, "e2", Token))?.TokenHash);
    }
}
