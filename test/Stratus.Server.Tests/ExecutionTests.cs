using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Executions;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class ExecutionTests
{
    private static readonly JsonObject Install = new()
    {
        ["deployment_id"] = "dep",
        ["workflow_id"] = "install",
        ["parameters"] = new JsonObject(),
        ["allow_custom_parameters"] = "false",
        ["force"] = false,
        ["dry_run"] = false,
        ["queue"] = false,
    };

    [Fact]
    public async Task Start_Answers201Pending_AndPublishesTheWorkflowWithAToken()
    {
        await using var manager = await StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);

        var response = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", Install.DeepClone());

        Assert.True(response.Status == HttpStatusCode.Created, $"{(int)response.Status} {response.Body?.ToJsonString()}");
        WireFiles.AssertSameFields(WireFiles.Body("21-execution-start-install"), response.Body, "started execution");
        Assert.Equal("pending", response.Body!["status"]!.GetValue<string>());
        Assert.Equal(new JsonArray(), response.Body!["parameters"]!["node_ids"], JsonNode.DeepEquals);
        var id = response.Body!["id"]!.GetValue<string>();
        var message = await queue.NextForAsync(id);
        Assert.Equal("cloudify.plugins.workflows.install", message.TaskName);
        Assert.Equal("default_tenant", message.TenantName);
        Assert.Equal("dep", message.DeploymentId);
        Assert.Equal("admin", message.ExecutionCreatorUsername);
        var stored = await manager.Store.GetExecutionAsync("default_tenant", id, TestContext.Current.CancellationToken);
        Assert.Equal(ExecutionService.HashToken(message.ExecutionToken!), stored!.TokenHash);
        Assert.DoesNotContain(message.ExecutionToken!, response.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Answers400ExistingRunningExecution_WhileOneIsActive()
    {
        await using var manager = await StartWithDeploymentAsync();
        var first = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", Install.DeepClone());

        var second = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" });

        second.AssertError(HttpStatusCode.BadRequest, "existing_running_execution_error");
        Assert.Contains(first.Body!["id"]!.GetValue<string>(), second.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("force=true", second.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_QueuesWithoutPublishing_WhenQueueIsAsked()
    {
        await using var manager = await StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", Install.DeepClone());

        var queued = await manager.Client.SendAsync(
            HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install", ["queue"] = true });

        Assert.Equal(HttpStatusCode.Created, queued.Status);
        Assert.Equal("queued", queued.Body!["status"]!.GetValue<string>());
        Assert.False(queue.HasMessageFor(queued.Body!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Start_Answers400_ForAnUnknownWorkflow_OrUndeclaredParameters()
    {
        await using var manager = await StartWithDeploymentAsync();

        var unknown = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "nope" });
        var custom = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install", ["parameters"] = new JsonObject { ["colour"] = "red" } });
        var missingDeployment = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "ghost", ["workflow_id"] = "install" });

        unknown.AssertError(HttpStatusCode.BadRequest, "nonexistent_workflow_error");
        custom.AssertError(HttpStatusCode.BadRequest, "illegal_execution_parameters_error");
        missingDeployment.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task Cancel_MovesToCancelling_AndASecondCancelIsIllegal()
    {
        await using var manager = await StartWithDeploymentAsync();
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", Install.DeepClone())).Body!["id"]!.GetValue<string>();

        var cancelled = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "cancel" });
        var again = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "cancel" });
        var forced = await manager.Client.SendAsync(HttpMethod.Post, $"/api/v3.1/executions/{id}", new JsonObject { ["action"] = "force-cancel" });

        Assert.Equal("cancelling", cancelled.Body!["status"]!.GetValue<string>());
        again.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
        Assert.Equal("force_cancelling", forced.Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StatusUpdate_FollowsCloudifyRules()
    {
        await using var manager = await StartWithDeploymentAsync();
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", Install.DeepClone())).Body!["id"]!.GetValue<string>();

        var started = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "started" });
        var ended = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "terminated" });
        var reopened = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/executions/{id}", new JsonObject { ["status"] = "started" });
        var fetched = await manager.Client.GetJsonAsync($"/api/v3.1/executions/{id}");

        Assert.NotNull(started.Body!["started_at"]);
        Assert.Equal("completed", ended.Body!["status_display"]!.GetValue<string>());
        reopened.AssertError(HttpStatusCode.BadRequest, "invalid_exception_status_update");
        WireFiles.AssertSameFields(WireFiles.Body("23-execution-get"), fetched.Body, "execution");
        var deployment = await manager.Client.GetJsonAsync("/api/v3.1/deployments/dep");
        Assert.Equal("requires_attention", deployment.Body!["deployment_status"]!.GetValue<string>());
        Assert.Equal("install", deployment.Body!["latest_execution_workflow_id"]!.GetValue<string>());
        Assert.Equal("completed", deployment.Body!["latest_execution_status"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", fetched.Body!["ended_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task OperationPatch_Answers400_ForAnUnknownState_LeavingTheStoredStateAlone()
    {
        await using var manager = await StartWithDeploymentAsync();
        var ct = TestContext.Current.CancellationToken;
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", Install.DeepClone())).Body!["id"]!.GetValue<string>();
        var at = DateTimeOffset.UnixEpoch;
        await manager.Store.InsertTaskGraphAsync(
            new Core.Model.TaskGraph { Id = "g1", ExecutionId = id, TenantName = "default_tenant", Name = "install", CreatedAt = at },
            [new Core.Model.OperationRecord { Id = "o1", GraphId = "g1", TenantName = "default_tenant", Name = "op", Type = "RemoteWorkflowTask", CreatedAt = at }],
            ct);

        var bogus = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", new JsonObject { ["state"] = "bogus" });
        var sent = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", new JsonObject { ["state"] = "sent" });

        bogus.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal("sent", (await manager.Store.GetOperationAsync("o1", ct))?.State);
    }

    internal static async Task<ManagerFixture> StartWithDeploymentAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");
        return manager;
    }
}
