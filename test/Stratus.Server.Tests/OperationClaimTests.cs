using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>
/// <c>PATCH /operations/{id}</c> with <c>state: started</c> and a <c>retry_number</c>: an agent claims that attempt
/// before running it, with its execution's token; only one claimant of an attempt wins.
/// </summary>
public sealed class OperationClaimTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claim_WinsOnce_RefusesADuplicate_AndGrantsTheNextAttempt()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var (id, agent) = await StartWithOperationsAsync(manager, queue, "o1");

        var won = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-a"));
        var repeated = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-a"));
        var duplicate = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-b"));
        var retry = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(1, "agent-b"));
        var late = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-c"));

        Assert.Equal(HttpStatusCode.OK, won.Status);
        Assert.Equal(HttpStatusCode.OK, repeated.Status);
        duplicate.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Contains("`o1` attempt 0 is already claimed", duplicate.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        late.AssertError(HttpStatusCode.Conflict, "conflict_error");
        var stored = await manager.Store.GetOperationAsync("o1", Token);
        Assert.Equal(("started", 1, "host-agent"), (stored!.State, stored.ClaimedAttempt, stored.AgentName));
        var listed = await manager.Client.GetJsonAsync($"/api/v3.1/operations?execution_id={id}");
        Assert.Equal("started", listed.Body!["items"]![0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Claim_IsNotFound_ForAnotherTenantsOrExecutionsOperation_AndNothingIsWritten()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var (id, agent) = await StartWithOperationsAsync(manager, queue, "o1");
        await manager.Client.CreateDeploymentAsync("bp", "dep2");
        var otherId = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep2", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        var at = DateTimeOffset.UnixEpoch;
        // An operation stored under another tenant in this execution's graph: the stored tenant decides, not the caller.
        await manager.Store.InsertOperationsAsync(
            "g-" + id, [new OperationRecord { Id = "foreign", GraphId = "g-" + id, TenantName = "other_tenant", Name = "op", Type = "RemoteWorkflowTask", CreatedAt = at }], Token);
        await manager.Store.InsertTaskGraphAsync(
            new TaskGraph { Id = "g-other", ExecutionId = otherId, TenantName = "default_tenant", Name = "install", CreatedAt = at },
            [new OperationRecord { Id = "theirs", GraphId = "g-other", TenantName = "default_tenant", Name = "op", Type = "RemoteWorkflowTask", CreatedAt = at }],
            Token);

        var foreignTenant = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/foreign", Claim(0, "agent-a"));
        var missing = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/nope", Claim(0, "agent-a"));
        var otherExecution = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/theirs", Claim(0, "agent-a"));
        var asAdmin = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/theirs", Claim(0, "agent-a"));

        foreignTenant.AssertError(HttpStatusCode.NotFound, "not_found_error");
        missing.AssertError(HttpStatusCode.NotFound, "not_found_error");
        otherExecution.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Null((await manager.Store.GetOperationAsync("foreign", Token))!.ClaimedAttempt);
        Assert.Equal(HttpStatusCode.OK, asAdmin.Status);
    }

    [Fact]
    public async Task Claim_OfAnAttemptThatFinished_IsRefused_EvenToTheAgentThatRanIt()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var (_, agent) = await StartWithOperationsAsync(manager, queue, "o1");
        await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-a"));
        // The engine stores attempt 0's recoverable failure as attempt 1 pending; the agent died before acking.
        await manager.Store.UpdateOperationStatesAsync([("o1", "pending", 1)], Token);

        var redelivered = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-a"));
        var retry = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(1, "agent-a"));
        await manager.Store.UpdateOperationStatesAsync([("o1", "failed", 1)], Token);
        var afterEnd = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(1, "agent-a"));

        redelivered.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Contains("`o1` attempt 0 has already finished", redelivered.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        afterEnd.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Contains("attempt 1, state failed", afterEnd.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var stored = await manager.Store.GetOperationAsync("o1", Token);
        Assert.Equal(("failed", 1, 1), (stored!.State, stored.Attempt, stored.ClaimedAttempt));
    }

    [Fact]
    public async Task StatePatch_NeverMovesAClaimedAttemptBack_NorLeavesItsEnd()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var (_, agent) = await StartWithOperationsAsync(manager, queue, "o1");
        await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", Claim(0, "agent-a"));

        var back = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", new JsonObject { ["state"] = "sent" });
        var end = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", new JsonObject { ["state"] = "succeeded" });
        var reopen = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", new JsonObject { ["state"] = "started" });
        var repeated = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", new JsonObject { ["state"] = "succeeded" });

        back.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Contains("`o1` cannot move to state `sent`: attempt 0 is started", back.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, end.Status);
        reopen.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal(HttpStatusCode.OK, repeated.Status);
        Assert.Equal("succeeded", (await manager.Store.GetOperationAsync("o1", Token))!.State);
    }

    [Theory]
    [InlineData("{\"state\":\"started\",\"retry_number\":-1,\"claim_id\":\"a\"}", "retry_number")]
    [InlineData("{\"state\":\"started\",\"retry_number\":\"0\",\"claim_id\":\"a\"}", "retry_number")]
    [InlineData("{\"state\":\"started\",\"retry_number\":0}", "claim_id")]
    [InlineData("{\"state\":\"succeeded\",\"retry_number\":0,\"claim_id\":\"a\"}", "state `started`")]
    [InlineData("{\"state\":\"started\",\"retry_number\":0,\"claim_id\":\"\"}", "claim_id")]
    public async Task Claim_WithBadInput_Answers400NamingTheField_AndClaimsNothing(string body, string culprit)
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var (_, agent) = await StartWithOperationsAsync(manager, queue, "o1");

        var response = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/operations/o1", JsonNode.Parse(body));

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains(culprit, response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var stored = await manager.Store.GetOperationAsync("o1", Token);
        Assert.Equal(("pending", (int?)null), (stored!.State, stored.ClaimedAttempt));
    }

    private static async Task<(string ExecutionId, HttpClient Agent)> StartWithOperationsAsync(ManagerFixture manager, WorkflowQueue queue, params string[] operationIds)
    {
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        var at = DateTimeOffset.UnixEpoch;
        await manager.Store.InsertTaskGraphAsync(
            new TaskGraph { Id = "g-" + id, ExecutionId = id, TenantName = "default_tenant", Name = "install", CreatedAt = at },
            [.. operationIds.Select(o => new OperationRecord { Id = o, GraphId = "g-" + id, TenantName = "default_tenant", Name = "op", Type = "RemoteWorkflowTask", CreatedAt = at })],
            Token);
        var agent = manager.CreateClient(null, null, tenant: "default_tenant");
        agent.DefaultRequestHeaders.Add("Execution-Token", (await queue.NextForAsync(id)).ExecutionToken!);
        return (id, agent);
    }

    private static JsonObject Claim(int attempt, string claimId) => new()
    {
        ["state"] = "started",
        ["retry_number"] = attempt,
        ["claim_id"] = claimId,
        ["agent_name"] = "host-agent",
        ["manager_name"] = null,
    };
}
