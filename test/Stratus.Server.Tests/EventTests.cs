using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class EventTests
{
    [Fact]
    public async Task Post_WithTheExecutionToken_StoresEventsAndLogs_ThatListInCloudifyShape()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        var token = (await queue.NextForAsync(id)).ExecutionToken!;
        using var agent = manager.CreateClient(null, null, tenant: "default_tenant");
        agent.DefaultRequestHeaders.Add("Execution-Token", token);

        var posted = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", new JsonObject
        {
            ["execution_id"] = id,
            ["manager_name"] = "stratus",
            ["events"] = new JsonArray
            {
                new JsonObject
                {
                    ["event_type"] = "workflow_started",
                    ["timestamp"] = "2026-11-26T06:07:55.416Z",
                    ["message"] = new JsonObject { ["text"] = "Starting 'install' workflow execution", ["arguments"] = null },
                    ["context"] = new JsonObject(),
                },
            },
            ["logs"] = new JsonArray
            {
                new JsonObject
                {
                    ["logger"] = "ctx.1",
                    ["level"] = "info",
                    ["timestamp"] = "2026-11-26T06:07:56.000Z",
                    ["message"] = new JsonObject { ["text"] = "hello\u0000there" },
                    ["context"] = new JsonObject { ["node_id"] = "db_1", ["node_name"] = "db", ["operation"] = "cloudify.interfaces.lifecycle.create" },
                },
            },
        });
        var all = await manager.Client.GetJsonAsync($"/api/v3.1/events?execution_id={id}&type=cloudify_event&type=cloudify_log&_sort=@timestamp");
        var eventsOnly = await manager.Client.GetJsonAsync($"/api/v3.1/events?execution_id={id}&type=cloudify_event");

        Assert.True(posted.Status is HttpStatusCode.NoContent or HttpStatusCode.Created, $"{(int)posted.Status} {posted.Body?.ToJsonString()}");
        var items = all.Body!["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        var recorded = WireFiles.Body("31-events-list");
        WireFiles.AssertSameFields(recorded["metadata"], all.Body!["metadata"], "events metadata");
        var @event = items.Single(i => i!["type"]!.GetValue<string>() == "cloudify_event");
        var log = items.Single(i => i!["type"]!.GetValue<string>() == "cloudify_log");
        WireFiles.AssertSameFields(recorded["items"]![0], @event, "event");
        WireFiles.AssertSameFields(recorded["items"]!.AsArray().First(i => i!["type"]!.GetValue<string>() == "cloudify_log"), log, "log");
        Assert.Equal("hellothere", log!["message"]!.GetValue<string>());
        Assert.Equal("db", log["node_name"]!.GetValue<string>());
        Assert.Equal("dep", @event!["deployment_id"]!.GetValue<string>());
        Assert.Equal("workflow_started", Assert.Single(eventsOnly.Body!["items"]!.AsArray())!["event_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_WithAnUnknownExecutionToken_Answers401()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        using var agent = manager.CreateClient(null, null);
        agent.DefaultRequestHeaders.Add("Execution-Token", "not-a-token");

        var response = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", new JsonObject { ["execution_id"] = "x", ["events"] = new JsonArray() });

        response.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        Assert.Equal("User unauthorized: Authentication failed, invalid Execution Token", response.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_ForAnotherExecution_IsForbidden_WithAnExecutionToken()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        using var agent = manager.CreateClient(null, null);
        agent.DefaultRequestHeaders.Add("Execution-Token", (await queue.NextForAsync(id)).ExecutionToken!);
        var other = (await manager.Client.GetJsonAsync("/api/v3.1/executions?deployment_id=dep&workflow_id=create_deployment_environment")).Body!["items"]![0]!["id"]!.GetValue<string>();

        var response = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", new JsonObject { ["execution_id"] = other, ["events"] = new JsonArray() });

        response.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    [Fact]
    public async Task ExecutionToken_StopsWorking_OnceTheExecutionEnds()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        var token = (await queue.NextForAsync(id)).ExecutionToken!;
        using var agent = manager.CreateClient(null, null);
        agent.DefaultRequestHeaders.Add("Execution-Token", token);
        using var restTokenAgent = manager.CreateClient(null, null);
        restTokenAgent.DefaultRequestHeaders.Add("Authentication-Token", token);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetJsonAsync($"/api/v3.1/executions/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await restTokenAgent.GetJsonAsync($"/api/v3.1/executions/{id}")).Status);

        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "failed", ["error"] = "boom" });
        var after = await agent.GetJsonAsync($"/api/v3.1/executions/{id}");

        after.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
        (await restTokenAgent.GetJsonAsync($"/api/v3.1/executions/{id}")).AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
    }

    [Fact]
    public async Task List_FiltersByTimestampRange_AndSortsDescending()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        using var agent = manager.CreateClient(null, null);
        agent.DefaultRequestHeaders.Add("Execution-Token", (await queue.NextForAsync(id)).ExecutionToken!);
        JsonObject Event(string type, string at) => new()
        {
            ["event_type"] = type,
            ["timestamp"] = at,
            ["message"] = new JsonObject { ["text"] = type },
            ["context"] = new JsonObject(),
        };
        var posted = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", new JsonObject
        {
            ["events"] = new JsonArray { Event("early", "2026-01-01T00:00:00.000Z"), Event("middle", "2026-06-01T00:00:00.000Z"), Event("late", "2026-12-01T00:00:00.000Z") },
        });

        var ranged = await manager.Client.GetJsonAsync(
            $"/api/v3.1/events?execution_id={id}&type=cloudify_event&_range=@timestamp,2026-03-01T00:00:00.000Z,&_sort=-@timestamp");

        Assert.Equal(HttpStatusCode.Created, posted.Status);
        Assert.Equal(["late", "middle"], ranged.Body!["items"]!.AsArray().Select(e => e!["event_type"]!.GetValue<string>()));
        Assert.Equal("2026-12-01T00:00:00.000Z", ranged.Body!["items"]![0]!["timestamp"]!.GetValue<string>());
    }
}
