using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>An agent's own REST token (<c>PUT /agents/{name}</c> with <c>create_rest_token</c>): who may get one, and what it reaches.</summary>
public sealed class AgentTokenTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateRestToken_IsIssuedOnlyToTheOwnDeploymentsExecutionOrAnAdmin_AndStoredAsAHash()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await manager.Client.CreateDeploymentAsync("bp", "dep2");
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep2", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        using var otherExecution = manager.CreateClient(null, null, tenant: "default_tenant");
        otherExecution.DefaultRequestHeaders.Add("Execution-Token", (await queue.NextForAsync(id)).ExecutionToken!);
        using var user = await manager.MemberAsync("u-user", "user");
        var own = await InstanceAsync(manager, "dep", "db");
        JsonObject Body() => new() { ["node_instance_id"] = own, ["state"] = "creating", ["install_method"] = "remote", ["create_rest_token"] = true };

        var byOtherDeployment = await otherExecution.SendAsync(HttpMethod.Put, "/api/v3.1/agents/vm_agent", Body());
        var byUser = await user.SendAsync(HttpMethod.Put, "/api/v3.1/agents/vm_agent", Body());
        var unbound = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/loose", new JsonObject { ["create_rest_token"] = true });
        var byAdmin = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/vm_agent", Body());
        var read = await manager.Client.GetJsonAsync("/api/v3.1/agents/vm_agent");

        byOtherDeployment.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        byUser.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Contains("vm_agent", byUser.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        unbound.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Null(await manager.Store.GetAgentAsync(null, "loose", Token));
        Assert.Equal(HttpStatusCode.OK, byAdmin.Status);
        var token = byAdmin.Body!["rest_token"]!.GetValue<string>();
        Assert.StartsWith("agt-", token, StringComparison.Ordinal);
        Assert.False(read.Body!.AsObject().ContainsKey("rest_token"));
        var stored = await manager.Store.GetAgentByTokenHashAsync(AgentTokens.Hash(token), Token);
        Assert.Equal(("vm_agent", own), (stored?.Name, stored?.NodeInstanceId));
        Assert.Null(await manager.Store.GetAgentByTokenHashAsync(token, Token));
    }

    [Fact]
    public async Task AgentToken_ReachesOnlyItsOwnAgentsRegistrationRoutesAndTheManagerList_AndDiesWithTheAgent()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await manager.Store.EnsureTenantAsync("other", Token);
        var own = await InstanceAsync(manager, "dep", "db");
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/other_agent", new JsonObject { ["state"] = "started" });
        var issued = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/agents/vm_agent", new JsonObject { ["node_instance_id"] = own, ["install_method"] = "remote", ["create_rest_token"] = true });
        using var agent = manager.CreateClient(null, null, tenant: null);
        agent.DefaultRequestHeaders.Add("Authentication-Token", issued.Body!["rest_token"]!.GetValue<string>());
        using var wrongTenant = manager.CreateClient(null, null, tenant: "other");
        wrongTenant.DefaultRequestHeaders.Add("Authentication-Token", issued.Body!["rest_token"]!.GetValue<string>());

        var register = await agent.SendAsync(HttpMethod.Put, "/api/v3.1/agents/vm_agent", new JsonObject { ["state"] = "starting", ["install_method"] = "provided" });
        var started = await agent.SendAsync(HttpMethod.Patch, "/api/v3.1/agents/vm_agent", new JsonObject { ["state"] = "started" });
        var beat = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/agents/vm_agent/heartbeat");
        // Which event bodies the managers read (Agent/Standalone/EventWireWatch): no agent's and no tenant's data.
        var managers = await agent.SendAsync(HttpMethod.Get, "/api/v3.1/managers?_get_all_results=true");
        var blueprints = await agent.SendAsync(HttpMethod.Get, "/api/v3.1/blueprints");
        var instance = await agent.SendAsync(HttpMethod.Get, $"/api/v3.1/node-instances/{own}");
        var otherBeat = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/agents/other_agent/heartbeat");
        var otherToken = await agent.SendAsync(
            HttpMethod.Put, "/api/v3.1/agents/vm_agent2", new JsonObject { ["node_instance_id"] = own, ["create_rest_token"] = true });
        var inOtherTenant = await wrongTenant.SendAsync(HttpMethod.Post, "/api/v3.1/agents/vm_agent/heartbeat");
        await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/agents/vm_agent", new JsonObject { ["state"] = "deleted" });
        var afterDelete = await agent.SendAsync(HttpMethod.Post, "/api/v3.1/agents/vm_agent/heartbeat");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (register.Status, started.Status, beat.Status));
        Assert.Equal(("remote", "started"), (register.Body!["install_method"]!.GetValue<string>(), started.Body!["state"]!.GetValue<string>()));
        Assert.NotNull(beat.Body!["last_heartbeat"]);
        Assert.True(managers.Status == HttpStatusCode.OK, $"GET /managers with an agent token: {(int)managers.Status} {managers.Body?.ToJsonString()}");
        Assert.Equal(1, managers.Body!["items"]![0]!["event_wire"]!.GetValue<int>());
        blueprints.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Contains("vm_agent", blueprints.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        instance.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        otherBeat.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        otherToken.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Null(await manager.Store.GetAgentAsync(null, "vm_agent2", Token));
        inOtherTenant.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        afterDelete.AssertError(HttpStatusCode.Unauthorized, "unauthorized_error");
    }

    private static async Task<string> InstanceAsync(ManagerFixture manager, string deploymentId, string nodeId) =>
        (await manager.Client.GetJsonAsync($"/api/v3.1/node-instances?deployment_id={deploymentId}&node_id={nodeId}")).Body!["items"]![0]!["id"]!.GetValue<string>();
}
