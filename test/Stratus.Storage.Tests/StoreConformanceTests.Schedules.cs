using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private ExecutionSchedule Schedule(string id, string deploymentId, DateTimeOffset? next) => new()
    {
        Id = id,
        TenantName = Make.Tenant,
        DeploymentId = deploymentId,
        CreatedBy = "admin",
        CreatedAt = Time.GetUtcNow(),
        WorkflowId = "install",
        Parameters = new JsonObject { ["x"] = 1 },
        ExecutionArguments = new JsonObject { ["force"] = false },
        Since = Time.GetUtcNow(),
        Rule = new JsonObject { ["recurrence"] = "1 hour", ["count"] = null, ["weekdays"] = null },
        Slip = 5,
        NextOccurrence = next,
    };

    [Fact]
    public async Task InsertExecutionScheduleAsync_RoundTrips_AndRefusesASecondWithTheSameIdOnTheDeployment()
    {
        await SeedDeploymentAsync();
        await SeedDeploymentAsync("dep2", "bp2");
        var schedule = Schedule("nightly", "dep", Time.GetUtcNow().AddHours(1));

        await Store.InsertExecutionScheduleAsync(schedule, Token);
        await Store.InsertExecutionScheduleAsync(schedule with { DeploymentId = "dep2" }, Token);
        var stored = await Store.GetExecutionScheduleAsync(Make.Tenant, "dep", "nightly", Token);

        Assert.NotNull(stored);
        Assert.Equal(schedule.Rule.ToJsonString(), stored.Rule.ToJsonString());
        Assert.Equal(schedule.Parameters!.ToJsonString(), stored.Parameters!.ToJsonString());
        Assert.Equal(schedule with { Rule = stored.Rule, Parameters = stored.Parameters, ExecutionArguments = stored.ExecutionArguments }, stored);
        await AssertStratusAsync(ErrorCodes.Conflict, 409, () => Store.InsertExecutionScheduleAsync(schedule, Token));
        await AssertStratusAsync(ErrorCodes.NotFound, 404, () => Store.InsertExecutionScheduleAsync(schedule with { DeploymentId = "ghost" }, Token));
        Assert.Null(await Store.GetExecutionScheduleAsync("other", "dep", "nightly", Token));
    }

    [Fact]
    public async Task ListExecutionSchedulesAsync_FiltersByDeployment_AndSearchesIds()
    {
        await SeedDeploymentAsync();
        await SeedDeploymentAsync("dep2", "bp2");
        await Store.InsertExecutionScheduleAsync(Schedule("a-nightly", "dep", null), Token);
        await Store.InsertExecutionScheduleAsync(Schedule("b-weekly", "dep2", null), Token);

        var byDeployment = await Store.ListExecutionSchedulesAsync(Make.Tenant, Make.Query(("deployment_id", ["dep2"])), Token);
        var searched = await Store.ListExecutionSchedulesAsync(Make.Tenant, new ListQuery { Search = "night" }, Token);

        Assert.Equal(["b-weekly"], byDeployment.Items.Select(s => s.Id));
        Assert.Equal(["a-nightly"], searched.Items.Select(s => s.Id));
        Assert.Equal(0, (await Store.ListExecutionSchedulesAsync("other", new ListQuery(), Token)).Total);
    }

    [Fact]
    public async Task DueSchedules_AreClaimedOnce_WhenSchedulersRace()
    {
        await SeedDeploymentAsync();
        var due = Time.GetUtcNow().AddMinutes(-1);
        await Store.InsertExecutionScheduleAsync(Schedule("s1", "dep", due), Token);
        await Store.InsertExecutionScheduleAsync(Schedule("later", "dep", Time.GetUtcNow().AddHours(1)), Token);
        await Store.InsertExecutionScheduleAsync(Schedule("off", "dep", due) with { Enabled = false }, Token);

        var found = await Store.ListDueExecutionSchedulesAsync(Time.GetUtcNow(), 10, Token);
        var claims = await RaceAsync(Enumerable.Range(0, 4).Select(_ =>
            (Func<Task<bool>>)(() => Store.TryAdvanceExecutionScheduleAsync(found[0], due, due.AddHours(1), true, Token))));

        Assert.Equal(["s1"], found.Select(s => s.Id));
        Assert.Equal(1, claims.Count(c => c));
        Assert.Equal(due.AddHours(1), (await Store.GetExecutionScheduleAsync(Make.Tenant, "dep", "s1", Token))?.NextOccurrence);
        Assert.Empty(await Store.ListDueExecutionSchedulesAsync(Time.GetUtcNow(), 10, Token));
    }

    [Fact]
    public async Task UpdateAndDeleteExecutionSchedule_ChangeOnlyThatSchedule_AndRecordTheLatestExecution()
    {
        await SeedDeploymentAsync();
        var schedule = Schedule("s1", "dep", null);
        await Store.InsertExecutionScheduleAsync(schedule, Token);
        await Store.InsertExecutionScheduleAsync(Schedule("s2", "dep", null), Token);
        await Store.InsertExecutionAsync(Make.Execution("e1", "dep", Time.GetUtcNow()), false, Token);

        Assert.True(await Store.UpdateExecutionScheduleAsync(schedule with { Enabled = false, Slip = 9, WorkflowId = "uninstall" }, Token));
        await Store.SetScheduleLatestExecutionAsync(schedule, "e1", Token);
        var updated = await Store.GetExecutionScheduleAsync(Make.Tenant, "dep", "s1", Token);
        Assert.Equal((false, 9, "uninstall", "e1"), (updated!.Enabled, updated.Slip, updated.WorkflowId, updated.LatestExecutionId));

        Assert.True(await Store.DeleteExecutionScheduleAsync(Make.Tenant, "dep", "s1", Token));
        Assert.False(await Store.DeleteExecutionScheduleAsync(Make.Tenant, "dep", "s1", Token));
        Assert.False(await Store.UpdateExecutionScheduleAsync(schedule, Token));
        Assert.NotNull(await Store.GetExecutionScheduleAsync(Make.Tenant, "dep", "s2", Token));
    }
}
