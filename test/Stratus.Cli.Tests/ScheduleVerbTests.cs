using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

/// <summary>deployments schedule ...: three-word verbs sending cfy's schedule fields.</summary>
public sealed class ScheduleVerbTests
{
    [Fact]
    public async Task ScheduleCreate_PutsTheRuleFields_UnderTheScheduleName()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PUT /api/v3.1/execution-schedules/nightly", new JsonObject { ["id"] = "nightly", ["deployment_id"] = "dep" });

        var exit = await cli.RunAsync(
            "deployments", "schedule", "create", "dep", "install", "-n", "nightly", "-s", "2026-01-02 10:00:00", "-r", "1 day",
            "--weekdays", "MO", "--weekdays", "FR", "-c", "3");

        Assert.Equal(0, exit);
        var request = Assert.Single(cli.Manager.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("?deployment_id=dep", request.Uri.Query);
        var body = JsonNode.Parse(request.BodyText)!;
        Assert.Equal(
            ("install", "2026-01-02 10:00:00", "1 day", 3, "[\"MO\",\"FR\"]"),
            (body["workflow_id"]!.GetValue<string>(), body["since"]!.GetValue<string>(), body["recurrence"]!.GetValue<string>(),
                body["count"]!.GetValue<int>(), body["weekdays"]!.ToJsonString()));
        Assert.Contains("Deployment schedule created successfully", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleDisable_PatchesEnabledFalse()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("PATCH /api/v3.1/execution-schedules/nightly", new JsonObject { ["id"] = "nightly", ["enabled"] = false });

        var exit = await cli.RunAsync("deployments", "schedule", "disable", "dep", "nightly");

        Assert.Equal(0, exit);
        Assert.Equal("{\"enabled\":false}", Assert.Single(cli.Manager.Requests).BodyText);
    }
}
