using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>POST /events through the batching ingestor: many producers at once, and resent batches stored once.</summary>
public sealed class EventIngestionTests
{
    [Fact]
    public async Task Post_ResentWithTheSameKeys_StoresEachEventOnce_AndConcurrentPostsAllLand()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        var token = (await queue.NextForAsync(id)).ExecutionToken!;
        using var agent = manager.CreateClient(null, null, tenant: "default_tenant");
        agent.DefaultRequestHeaders.Add("Execution-Token", token);
        JsonObject Body(int sender, int count) => new()
        {
            ["execution_id"] = id,
            ["logs"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
            {
                ["logger"] = "ctx",
                ["level"] = "info",
                ["message"] = new JsonObject { ["text"] = $"sender {sender} line {i}" },
                ["context"] = new JsonObject(),
                ["idempotency_key"] = $"s{sender}-{i}",
            })]),
        };

        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(s => agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", Body(s, 30))));
        var resent = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", Body(3, 30));
        var tooLong = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/events", new JsonObject
        {
            ["execution_id"] = id,
            ["logs"] = new JsonArray { new JsonObject { ["message"] = new JsonObject { ["text"] = "x" }, ["idempotency_key"] = new string('k', 201) } },
        });
        var listed = await manager.Client.GetJsonAsync($"/api/v3.1/events?execution_id={id}&type=cloudify_log&_size=1000");

        Assert.All(first, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal(HttpStatusCode.Created, resent.Status);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("bad_parameters_error", tooLong.Body!["error_code"]!.GetValue<string>());
        var messages = listed.Body!["items"]!.AsArray().Select(i => i!["message"]!.GetValue<string>()).ToList();
        Assert.Equal(240, messages.Count);
        Assert.Equal(240, messages.Distinct().Count());
        Assert.DoesNotContain(listed.Body!["items"]!.AsArray(), i => i!.AsObject().ContainsKey("idempotency_key"));
    }

    [Fact]
    public async Task Managers_ListsThisManager_ByItsId_FromItsHeartbeat()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();

        var listed = await manager.Client.GetJsonAsync("/api/v3.1/managers");

        var item = Assert.Single(listed.Body!["items"]!.AsArray())!;
        Assert.Equal(Environment.MachineName + ":", item["hostname"]!.GetValue<string>()[..(Environment.MachineName.Length + 1)]);
        Assert.True(item["status_report_frequency"]!.GetValue<int>() >= 1);
    }
}
