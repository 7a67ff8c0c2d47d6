using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Executions;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>POST /executions/{id} with resume / force-resume (Cloudify's resume_execution rules).</summary>
public sealed class ExecutionResumeTests
{
    [Fact]
    public async Task Resume_OfAFailedExecution_ResetsFailedOperations_AndRepublishesWithANewToken()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var ct = TestContext.Current.CancellationToken;
        var id = (await ExecutionQueueTests.StartAsync(manager, "dep", queue: false))["id"]!.GetValue<string>();
        var firstToken = (await queue.NextForAsync(id)).ExecutionToken;
        await queue.DisposeAsync();
        await SeedGraphAsync(manager, id, ("done", "succeeded"), ("broken", "failed"), ("in-flight", "sent"));
        await ExecutionQueueTests.EndAsync(manager, id, "failed");
        await using var resumedQueue = await WorkflowQueue.ListenAsync(manager.Broker);

        var resumed = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "resume" });

        Assert.True(resumed.Status == HttpStatusCode.OK, resumed.Body?.ToJsonString());
        Assert.Equal(("pending", true, (JsonNode?)null), (resumed.Body!["status"]!.GetValue<string>(), resumed.Body["resume"]!.GetValue<bool>(), resumed.Body["ended_at"]));
        var message = await resumedQueue.NextForAsync(id);
        Assert.True(message.Resume);
        Assert.NotEqual(firstToken, message.ExecutionToken);
        Assert.Equal(ExecutionService.HashToken(message.ExecutionToken!), (await manager.Store.GetExecutionAsync(null, id, ct))!.TokenHash);
        Assert.Equal(
            [("broken", "pending"), ("done", "succeeded"), ("in-flight", "sent")],
            (await manager.Store.ListOperationsAsync("g-" + id, ct)).Select(o => (o.Id, o.State)).Order());
    }

    [Fact]
    public async Task ForceResume_AlsoResendsWhatWasInFlight()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = (await ExecutionQueueTests.StartAsync(manager, "dep", queue: false))["id"]!.GetValue<string>();
        await SeedGraphAsync(manager, id, ("done", "succeeded"), ("in-flight", "sent"));
        await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "cancel" });
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "cancelled" });

        var resumed = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "force-resume" });

        Assert.Equal("pending", resumed.Body!["status"]!.GetValue<string>());
        Assert.Equal(
            [("done", "succeeded"), ("in-flight", "pending")],
            (await manager.Store.ListOperationsAsync("g-" + id, ct)).Select(o => (o.Id, o.State)).Order());
    }

    [Fact]
    public async Task Resume_Answers409_FromStatesCloudifyRefuses_AndUnknownActionsAre400()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var id = (await ExecutionQueueTests.StartAsync(manager, "dep", queue: false))["id"]!.GetValue<string>();

        var pending = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "resume" });
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "started" });
        var forceStarted = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "force-resume" });
        await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "terminated" });
        var terminated = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "resume" });
        var unknown = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "rewind" });

        pending.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal($"Cannot resume execution: `{id}` in state: `pending`", pending.Body!["message"]!.GetValue<string>());
        forceStarted.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal($"Cannot force-resume execution: `{id}` in state: `started`", forceStarted.Body!["message"]!.GetValue<string>());
        terminated.AssertError(HttpStatusCode.Conflict, "conflict_error");
        unknown.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.StartsWith("Invalid action: rewind, Valid action values are: ['cancel', ", unknown.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task SeedGraphAsync(ManagerFixture manager, string executionId, params (string Id, string State)[] operations)
    {
        var at = DateTimeOffset.UnixEpoch;
        await manager.Store.InsertTaskGraphAsync(
            new TaskGraph { Id = "g-" + executionId, ExecutionId = executionId, TenantName = "default_tenant", Name = "install", CreatedAt = at },
            [.. operations.Select(o => new OperationRecord
            {
                Id = o.Id, GraphId = "g-" + executionId, TenantName = "default_tenant", Name = "op", Type = "RemoteWorkflowTask", State = o.State, CreatedAt = at,
            })],
            TestContext.Current.CancellationToken);
    }
}
