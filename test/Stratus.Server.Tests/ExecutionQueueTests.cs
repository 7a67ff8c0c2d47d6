using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Queued executions start when what blocked them ends (Cloudify's start_queued_executions).</summary>
public sealed class ExecutionQueueTests
{
    [Fact]
    public async Task EndOfTheRunningExecution_StartsTheQueuedOne_WithItsOwnToken()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var first = await StartAsync(manager, "dep", queue: false);
        var queued = await StartAsync(manager, "dep", queue: true);
        Assert.Equal("queued", queued["status"]!.GetValue<string>());
        var queuedId = queued["id"]!.GetValue<string>();

        await EndAsync(manager, first["id"]!.GetValue<string>(), "failed");

        var message = await queue.NextForAsync(queuedId);
        Assert.Equal("install", message.WorkflowId);
        var fetched = await manager.Client.GetJsonAsync($"/api/v3.1/executions/{queuedId}");
        Assert.Equal("pending", fetched.Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AStartWithoutQueue_IsRefused_WhileAnOlderExecutionIsQueued()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        // Left queued (its deployment was busy, then the limit was reached): nothing is active now.
        await manager.Store.InsertExecutionAsync(
            new Core.Model.Execution
            {
                Id = "q1", TenantName = "default_tenant", CreatedBy = "admin", WorkflowId = "install", DeploymentId = "dep",
                Status = Core.Model.ExecutionStatus.Queued, CreatedAt = DateTimeOffset.UtcNow,
            },
            exclusiveOnDeployment: false,
            TestContext.Current.CancellationToken);

        var refused = await manager.Client.SendAsync(
            HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" });
        var queuedBehind = await StartAsync(manager, "dep", queue: true);

        refused.AssertError(HttpStatusCode.BadRequest, "existing_running_execution_error");
        Assert.Contains("`q1`", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("queued", queuedBehind["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task QueuedExecutions_WaitWhileMaxConcurrentWorkflowsAreActive()
    {
        await using var manager = await ManagerFixture.StartAsync(options: new ManagerOptions { DataDir = ManagerFixture.NewDataDir(), MaxConcurrentWorkflows = 1 });
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");
        await manager.Client.CreateDeploymentAsync("bp", "dep2");
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var first = await StartAsync(manager, "dep", queue: false);
        var queued = await StartAsync(manager, "dep", queue: true);
        var other = await StartAsync(manager, "dep2", queue: false);
        var queuedId = queued["id"]!.GetValue<string>();

        await EndAsync(manager, first["id"]!.GetValue<string>(), "terminated");
        var stillQueued = await manager.Client.GetJsonAsync($"/api/v3.1/executions/{queuedId}");
        await EndAsync(manager, other["id"]!.GetValue<string>(), "terminated");

        Assert.Equal("queued", stillQueued.Body!["status"]!.GetValue<string>());
        Assert.Equal(queuedId, (await queue.NextForAsync(queuedId)).ExecutionId);
        var config = await manager.Client.GetJsonAsync("/api/v3.1/config?scope=rest");
        var limit = config.Body!["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "max_concurrent_workflows");
        Assert.Equal(1, limit!["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task Kill_OfAQueuedExecution_CancelsItAtOnce_AndItIsNeverStarted()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var first = await StartAsync(manager, "dep", queue: false);
        var queuedId = (await StartAsync(manager, "dep", queue: true))["id"]!.GetValue<string>();

        var killed = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{queuedId}", new JsonObject { ["action"] = "kill" });
        await EndAsync(manager, first["id"]!.GetValue<string>(), "terminated");

        Assert.Equal("cancelled", killed.Body!["status"]!.GetValue<string>());
        Assert.False(queue.HasMessageFor(queuedId));
        Assert.Equal("cancelled", (await manager.Client.GetJsonAsync($"/api/v3.1/executions/{queuedId}")).Body!["status"]!.GetValue<string>());
    }

    internal static async Task<JsonObject> StartAsync(ManagerFixture manager, string deploymentId, bool queue)
    {
        var response = await manager.Client.SendAsync(
            HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = deploymentId, ["workflow_id"] = "install", ["queue"] = queue });
        Assert.True(response.Status == HttpStatusCode.Created, $"start on {deploymentId}: {(int)response.Status} {response.Body?.ToJsonString()}");
        return response.Body!.AsObject();
    }

    internal static async Task EndAsync(ManagerFixture manager, string id, string status)
    {
        var started = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "started" });
        var ended = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = status });
        Assert.True(started.Status == HttpStatusCode.OK && ended.Status == HttpStatusCode.OK, $"ending {id}: {ended.Body?.ToJsonString()}");
    }
}
