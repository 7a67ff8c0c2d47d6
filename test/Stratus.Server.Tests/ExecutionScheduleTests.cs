using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Stratus.Server.Executions.Schedules;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>/execution-schedules, scheduled_time, and the scheduler firing due occurrences on a fake clock.</summary>
public sealed class ExecutionScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Put_Get_Patch_Delete_FollowCloudifysShapeAndRules()
    {
        await using var manager = await StartAsync(new FakeTimeProvider(Now));

        var created = await manager.Client.SendAsync(
            HttpMethod.Put,
            "/api/v3.1/execution-schedules/nightly?deployment_id=dep",
            new JsonObject { ["workflow_id"] = "install", ["since"] = "2026-01-02 10:00:00", ["recurrence"] = "1 day", ["count"] = 3 });
        var fetched = await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules/nightly?deployment_id=dep");
        var patched = await manager.Client.SendAsync(
            HttpMethod.Patch, "/api/v3.1/execution-schedules/nightly?deployment_id=dep", new JsonObject { ["enabled"] = false, ["recurrence"] = "2 days" });
        var listed = await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules?deployment_id=dep");
        var deleted = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/execution-schedules/nightly?deployment_id=dep");
        var gone = await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules/nightly?deployment_id=dep");

        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        Assert.Equal("2026-01-02T10:00:00.000Z", created.Body!["next_occurrence"]!.GetValue<string>());
        Assert.Equal(Strings("2026-01-02 10:00:00", "2026-01-03 10:00:00", "2026-01-04 10:00:00"), created.Body["all_next_occurrences"], JsonNode.DeepEquals);
        Assert.Equal(new JsonObject { ["recurrence"] = "1 day", ["count"] = 3, ["weekdays"] = null }, created.Body["rule"], JsonNode.DeepEquals);
        Assert.Equal(created.Body.ToJsonString(), fetched.Body!.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, patched.Status);
        Assert.False(patched.Body!["enabled"]!.GetValue<bool>());
        Assert.Equal(Strings("2026-01-02 10:00:00", "2026-01-04 10:00:00", "2026-01-06 10:00:00"), patched.Body["all_next_occurrences"], JsonNode.DeepEquals);
        Assert.Equal(1, listed.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        gone.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Theory]
    [InlineData("""{"workflow_id": "install", "since": "2026-01-02", "count": 2}""", "bad_parameters_error", "recurrence must be specified for execution count larger than 1")]
    [InlineData("""{"workflow_id": "install", "since": "2026-01-02", "recurrence": "often"}""", "bad_parameters_error", "`often` is not a legal recurrence expression")]
    [InlineData("""{"workflow_id": "install", "since": "2026-01-02", "recurrence": "1 w", "weekdays": ["2MO"]}""", "bad_parameters_error", "complex weekday expression 2MO can only be used with a months|years recurrence")]
    [InlineData("""{"workflow_id": "install", "since": "2026-01-02", "recurrence": "1 w", "weekdays": "MO"}""", "bad_parameters_error", "weekdays: expected a list")]
    [InlineData("""{"workflow_id": "install", "since": "2026-01-02", "rrule": "RRULE:FREQ=DAILY", "count": 3}""", "bad_parameters_error", "`rrule` cannot be provided together with")]
    [InlineData("""{"workflow_id": "install", "since": "2026-01-02", "rrule": "RRULE:FREQ=SOMETIMES"}""", "bad_parameters_error", "invalid RRULE string provided")]
    [InlineData("""{"workflow_id": "install", "since": "next tuesday", "count": 1}""", "bad_parameters_error", "next tuesday is not a legal time format")]
    [InlineData("""{"workflow_id": "install", "count": 1}""", "bad_parameters_error", "Missing since in json request body")]
    [InlineData("""{"workflow_id": "nope", "since": "2026-01-02", "count": 1}""", "nonexistent_workflow_error", "Workflow nope does not exist in deployment dep")]
    public async Task Put_Answers400_NamingTheCulprit_AndStoresNothing(string body, string errorCode, string message)
    {
        await using var manager = await StartAsync(new FakeTimeProvider(Now));

        var response = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/execution-schedules/s1?deployment_id=dep", JsonNode.Parse(body));

        response.AssertError(HttpStatusCode.BadRequest, errorCode);
        Assert.Contains(message, response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules")).Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"recurrence": "1 week", "weekdays": ["mo", "FR"]}""", "2026-01-02 09:00:00", "2026-01-05 09:00:00", "2026-01-09 09:00:00")]
    [InlineData("""{"recurrence": "1 month", "weekdays": ["L-FR"]}""", "2026-01-30 09:00:00", "2026-02-27 09:00:00", "2026-03-27 09:00:00")]
    [InlineData("""{"recurrence": "1 month", "weekdays": ["2MO"]}""", "2026-01-12 09:00:00", "2026-02-09 09:00:00", "2026-03-09 09:00:00")]
    [InlineData("""{"rrule": "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=3"}""", "2026-01-01 09:00:00", "2026-01-04 09:00:00", "2026-01-07 09:00:00")]
    [InlineData("""{"recurrence": "1 month"}""", "2026-01-01 09:00:00", "2026-02-01 09:00:00", "2026-03-01 09:00:00")]
    public async Task Occurrences_FollowTheRule(string rule, string first, string second, string third)
    {
        await using var manager = await StartAsync(new FakeTimeProvider(Now));
        var body = JsonNode.Parse(rule)!.AsObject();
        body["workflow_id"] = "install";
        body["since"] = "2026-01-01 09:00:00";

        var created = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/execution-schedules/s1?deployment_id=dep", body);

        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        var upcoming = created.Body!["all_next_occurrences"]!.AsArray().Take(3).Select(n => n!.GetValue<string>());
        Assert.Equal([first, second, third], upcoming);
    }

    [Fact]
    public async Task Scheduler_FiresADueOccurrenceOnce_ThroughTheNormalStartPath()
    {
        var time = new FakeTimeProvider(Now);
        await using var manager = await StartAsync(time);
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var scheduler = manager.App.Services.GetRequiredService<ExecutionScheduler>();
        await manager.Client.SendAsync(
            HttpMethod.Put,
            "/api/v3.1/execution-schedules/hourly?deployment_id=dep",
            new JsonObject { ["workflow_id"] = "install", ["since"] = "2026-01-01 00:01:00", ["recurrence"] = "1 hour" });
        var ct = TestContext.Current.CancellationToken;

        var early = await scheduler.TickAsync(ct);
        time.Advance(TimeSpan.FromMinutes(2));
        var fired = await scheduler.TickAsync(ct);
        var again = await scheduler.TickAsync(ct);
        time.Advance(TimeSpan.FromHours(1));
        var whileRunning = await scheduler.TickAsync(ct);

        Assert.Empty(early);
        var execution = Assert.Single(fired);
        Assert.Equal(("pending", "install", "admin"), (execution.Status, execution.WorkflowId, execution.CreatedBy));
        Assert.Equal(execution.Id, (await queue.NextForAsync(execution.Id)).ExecutionId);
        Assert.Empty(again);
        Assert.Empty(whileRunning);
        var schedule = await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules/hourly?deployment_id=dep");
        Assert.Equal("2026-01-01T02:01:00.000Z", schedule.Body!["next_occurrence"]!.GetValue<string>());
        Assert.Equal("pending", schedule.Body["latest_execution_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scheduler_SkipsAnOccurrenceLaterThanItsSlip_AndDisablesOnFailure_WhenStopOnFail()
    {
        var time = new FakeTimeProvider(Now);
        await using var manager = await StartAsync(time);
        var scheduler = manager.App.Services.GetRequiredService<ExecutionScheduler>();
        var ct = TestContext.Current.CancellationToken;
        await manager.Client.SendAsync(
            HttpMethod.Put,
            "/api/v3.1/execution-schedules/s1?deployment_id=dep",
            new JsonObject { ["workflow_id"] = "install", ["since"] = "2026-01-01 00:01:00", ["recurrence"] = "1 hour", ["slip"] = 5, ["stop_on_fail"] = true });

        time.Advance(TimeSpan.FromMinutes(10));
        var late = await scheduler.TickAsync(ct);
        time.Advance(TimeSpan.FromMinutes(55));
        var onTime = await scheduler.TickAsync(ct);
        await ExecutionQueueTests.EndAsync(manager, Assert.Single(onTime).Id, "failed");
        time.Advance(TimeSpan.FromHours(1));
        var afterFailure = await scheduler.TickAsync(ct);

        Assert.Empty(late);
        Assert.Empty(afterFailure);
        var schedule = await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules/s1?deployment_id=dep");
        Assert.False(schedule.Body!["enabled"]!.GetValue<bool>());
        Assert.Equal("failed", schedule.Body["latest_execution_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartWithScheduledTime_StoresAOneOffSchedule_AndAnswersScheduled()
    {
        await using var manager = await StartAsync(new FakeTimeProvider(Now));

        var scheduled = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install", ["scheduled_time"] = "202601010130+0000", ["dry_run"] = true });
        var past = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install", ["scheduled_time"] = "2025-12-31T23:00:00+00:00" });
        var naive = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install", ["scheduled_time"] = "2026-01-02 10:00:00" });

        Assert.Equal(HttpStatusCode.Created, scheduled.Status);
        Assert.Equal(("scheduled", (JsonNode?)null), (scheduled.Body!["status"]!.GetValue<string>(), scheduled.Body["id"]));
        past.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("has already passed", past.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        naive.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("missing timezone information", naive.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var schedules = (await manager.Client.GetJsonAsync("/api/v3.1/execution-schedules")).Body!["items"]!.AsArray();
        var schedule = Assert.Single(schedules)!;
        Assert.StartsWith("install_", schedule["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2026-01-01T01:30:00.000Z", schedule["next_occurrence"]!.GetValue<string>());
        Assert.Equal(new JsonObject { ["count"] = 1 }, schedule["rule"], JsonNode.DeepEquals);
        Assert.True(schedule["execution_arguments"]!["is_dry_run"]!.GetValue<bool>());
    }

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static async Task<ManagerFixture> StartAsync(FakeTimeProvider time)
    {
        var dataDir = ManagerFixture.NewDataDir();
        var manager = await ManagerFixture.StartAsync(
            dataDir: dataDir,
            options: new ManagerOptions { DataDir = dataDir, SchedulerInterval = TimeSpan.FromDays(1) },
            overrides: new HostOverrides { RunEngine = false, TimeProvider = time });
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");
        return manager;
    }
}
