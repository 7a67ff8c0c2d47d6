using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stratus.Server.Agents;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class AgentEndpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutThenList_ShowsCloudifyFields_AndFiltersByDeploymentAndInstallMethod()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        var db = await InstanceAsync(manager, "dep", "db");

        var bound = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/agents/db_agent", new JsonObject { ["node_instance_id"] = db, ["state"] = "creating", ["install_method"] = "provided" });
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/loose", new JsonObject { ["state"] = "started", ["install_method"] = "remote" });
        var byDeployment = await manager.Client.GetJsonAsync("/api/v3.1/agents?deployment_id=dep");
        var provided = await manager.Client.GetJsonAsync("/api/v3.1/agents?install_methods=provided&install_methods=plugin");
        var byInstance = await manager.Client.GetJsonAsync($"/api/v3.1/agents?node_instance_ids={db}");
        var one = await manager.Client.GetJsonAsync("/api/v3.1/agents/db_agent");

        Assert.Equal(HttpStatusCode.OK, bound.Status);
        Assert.Equal(["db_agent"], byDeployment.Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(["db_agent"], provided.Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(1, byInstance.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
        var agent = one.Body!.AsObject();
        Assert.Equal(("db_agent", db, db, "dep", "db"), (
            agent["id"]!.GetValue<string>(), agent["host_id"]!.GetValue<string>(), agent["node_instance_id"]!.GetValue<string>(),
            agent["deployment"]!.GetValue<string>(), agent["node"]!.GetValue<string>()));
        Assert.Equal(("creating", "provided", "default_tenant", "db_agent"), (
            agent["state"]!.GetValue<string>(), agent["install_method"]!.GetValue<string>(), agent["tenant_name"]!.GetValue<string>(),
            agent["rabbitmq_exchange"]!.GetValue<string>()));
        Assert.False(agent.ContainsKey("rabbitmq_password"));
        Assert.False(agent.ContainsKey("rabbitmq_username"));
    }

    [Fact]
    public async Task Writes_AreRefusedWithCloudifysErrors_ForBadStatesUnknownAgentsAndOtherTenants()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/a1", new JsonObject { ["state"] = "started" });
        await manager.Store.EnsureTenantAsync("other", Token);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");

        var badState = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/agents/a1", new JsonObject { ["state"] = "flying" });
        var badName = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/a%20b", new JsonObject());
        var unknownInstance = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/a2", new JsonObject { ["node_instance_id"] = "nope" });
        var missing = await manager.Client.GetJsonAsync("/api/v3.1/agents/nope");
        var otherTenantGet = await other.GetJsonAsync("/api/v3.1/agents/a1");
        var otherTenantPut = await other.SendAsync(HttpMethod.Put, "/api/v3.1/agents/a1", new JsonObject());

        badState.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Invalid agent state: `flying`.", badState.Body!["message"]!.GetValue<string>());
        badName.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        unknownInstance.AssertError(HttpStatusCode.NotFound, "not_found_error");
        missing.AssertError(HttpStatusCode.NotFound, "not_found_error");
        otherTenantGet.AssertError(HttpStatusCode.NotFound, "not_found_error");
        otherTenantPut.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Null(await manager.Store.GetAgentAsync(null, "a2", Token));
        Assert.Equal("started", (await manager.Store.GetAgentAsync(null, "a1", Token))!.State);
    }

    [Fact]
    public async Task Heartbeat_StampsTheAgent_AndASilentAgentBecomesNonresponsiveUntilItBeatsAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var dataDir = ManagerFixture.NewDataDir();
        var options = new ManagerOptions { DataDir = dataDir, AgentHeartbeatTimeout = TimeSpan.FromSeconds(30) };
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: options, overrides: new HostOverrides { RunEngine = false, TimeProvider = time });
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/agents/a1", new JsonObject { ["state"] = "started" });
        using var brokerUsers = new AgentBrokerUsers(
            options, manager.Store, new Stratus.Core.Secrets.SecretCipher(Stratus.Core.Secrets.SecretCipher.NewKey()), time, NullLogger<AgentBrokerUsers>.Instance);
        var monitor = new AgentMonitor(manager.Store, options, brokerUsers, time, NullLogger<AgentMonitor>.Instance);

        var beat = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/agents/a1/heartbeat", null);
        time.Advance(TimeSpan.FromSeconds(29));
        await monitor.SweepAsync(Token);
        var stillStarted = await manager.Client.GetJsonAsync("/api/v3.1/agents/a1");
        time.Advance(TimeSpan.FromSeconds(2));
        await monitor.SweepAsync(Token);
        var silent = await manager.Client.GetJsonAsync("/api/v3.1/agents/a1");
        var revived = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/agents/a1/heartbeat", null);

        Assert.Equal(HttpStatusCode.OK, beat.Status);
        Assert.Equal("2026-11-26T06:00:00.000Z", beat.Body!["last_heartbeat"]!.GetValue<string>());
        Assert.Equal("started", stillStarted.Body!["state"]!.GetValue<string>());
        Assert.Equal("nonresponsive", silent.Body!["state"]!.GetValue<string>());
        Assert.Equal("started", revived.Body!["state"]!.GetValue<string>());
        Assert.Equal("2026-11-26T06:00:31.000Z", revived.Body!["last_heartbeat"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecutionToken_WritesOnlyItsOwnDeployment_NodeInstancesAndAgents()
    {
        await using var manager = await ExecutionTests.StartWithDeploymentAsync();
        await manager.Client.CreateDeploymentAsync("bp", "dep2");
        await using var queue = await WorkflowQueue.ListenAsync(manager.Broker);
        var id = (await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = "install" }))
            .Body!["id"]!.GetValue<string>();
        using var agent = manager.CreateClient(null, null, tenant: "default_tenant");
        agent.DefaultRequestHeaders.Add("Execution-Token", (await queue.NextForAsync(id)).ExecutionToken!);
        var own = await InstanceAsync(manager, "dep", "db");
        var foreign = await InstanceAsync(manager, "dep2", "db");

        var ownPatch = await agent.SendAsync(
            HttpMethod.Patch, $"/api/v3.1/node-instances/{own}", new JsonObject { ["version"] = 1, ["runtime_properties"] = new JsonObject { ["x"] = 1 } });
        var foreignPatch = await agent.SendAsync(
            HttpMethod.Patch, $"/api/v3.1/node-instances/{foreign}", new JsonObject { ["version"] = 1, ["runtime_properties"] = new JsonObject { ["x"] = 1 } });
        var foreignAgent = await agent.SendAsync(HttpMethod.Put, "/api/v3.1/agents/sneaky", new JsonObject { ["node_instance_id"] = foreign });
        var ownAgent = await agent.SendAsync(HttpMethod.Put, "/api/v3.1/agents/mine", new JsonObject { ["node_instance_id"] = own });

        Assert.Equal(HttpStatusCode.OK, ownPatch.Status);
        foreignPatch.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Contains("dep2", foreignPatch.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(foreign, foreignPatch.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        foreignAgent.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal(HttpStatusCode.OK, ownAgent.Status);
        var untouched = await manager.Store.GetNodeInstanceAsync("default_tenant", foreign, Token);
        Assert.Null(untouched!.RuntimeProperties["x"]);
        Assert.Null(await manager.Store.GetAgentAsync(null, "sneaky", Token));
    }

    private static async Task<string> InstanceAsync(ManagerFixture manager, string deploymentId, string nodeId) =>
        (await manager.Client.GetJsonAsync($"/api/v3.1/node-instances?deployment_id={deploymentId}&node_id={nodeId}")).Body!["items"]![0]!["id"]!.GetValue<string>();
}
