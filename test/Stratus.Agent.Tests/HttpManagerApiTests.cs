using System.Net;
using System.Text.Json.Nodes;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Tests;

public sealed class HttpManagerApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_CarryExecutionTokenAndTenant_ToTheContextsRestEndpoint()
    {
        var stub = new StubHttpHandler().Respond(HttpStatusCode.OK, """{"id": "vm_1", "version": 3, "runtime_properties": {}}""");
        using var http = new HttpClient(stub);
        var api = new HttpManagerApi(http, TestTasks.Context() with { RestHost = ["10.1.2.3"], RestPort = 8443, RestProtocol = "https" }, "agent");

        await api.GetNodeInstanceAsync("vm_1", Cancel);

        var request = Assert.Single(stub.Requests).Request;
        Assert.Equal("https://10.1.2.3:8443/api/v3.1/node-instances/vm_1", request.RequestUri?.ToString());
        Assert.Equal("secret-token", request.Headers.GetValues("Execution-Token").Single());
        Assert.Equal("default_tenant", request.Headers.GetValues("Tenant").Single());
    }

    [Fact]
    public async Task UpdateNodeInstance_SendsRuntimePropertiesAndVersion_AndReportsConflicts()
    {
        var stub = new StubHttpHandler().Respond(
            HttpStatusCode.Conflict,
            """{"error_code": "conflict_error", "message": "Node instance update conflict [current version=11, update version=1]", "server_traceback": null}""");
        using var http = new HttpClient(stub);
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent");

        var error = await Assert.ThrowsAsync<ManagerApiException>(
            () => api.UpdateNodeInstanceAsync("db_1", new JsonObject { ["x"] = 1 }, 1, Cancel));

        Assert.True(error.IsConflict);
        Assert.Equal("conflict_error", error.ErrorCode);
        var (request, body) = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Patch, request.Method);
        Assert.Equal("""{"runtime_properties":{"x":1},"version":1}""", body);
    }

    [Fact]
    public async Task GetNode_QueriesTheNodesListByDeploymentAndId()
    {
        var stub = new StubHttpHandler().Respond(HttpStatusCode.OK, """{"items": [{"id": "vm", "properties": {"port": 80}}], "metadata": {}}""");
        using var http = new HttpClient(stub);
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent");

        var node = await api.GetNodeAsync("dep", "vm", Cancel);

        Assert.Equal(80, node?["properties"]?["port"]?.GetValue<int>());
        Assert.Equal("/api/v3.1/nodes?deployment_id=dep&id=vm", stub.Requests[0].Request.RequestUri?.PathAndQuery);
    }

    [Fact]
    public async Task DownloadResource_ReadsTheBlueprintFolderOfTheTenant()
    {
        var stub = new StubHttpHandler().Respond(HttpStatusCode.OK, "echo hi");
        using var http = new HttpClient(stub);
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent");

        var content = await api.DownloadBlueprintResourceAsync("scripts/my script.sh", Cancel);

        Assert.Equal("echo hi", System.Text.Encoding.UTF8.GetString(content));
        Assert.Equal("/resources/blueprints/default_tenant/bp/scripts/my%20script.sh", stub.Requests[0].Request.RequestUri?.AbsolutePath);
    }

    [Fact]
    public async Task DownloadResource_ReadsANamespacedPathWithoutItsNamespace_WhenTheBlueprintHasNoSuchFile()
    {
        var stub = new StubHttpHandler()
            .Respond(HttpStatusCode.NotFound, """{"message": "Requested URL was not found", "error_code": "not_found_error"}""")
            .Respond(HttpStatusCode.OK, "echo lib");
        using var http = new HttpClient(stub);
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent");

        var content = await api.DownloadBlueprintResourceAsync("lib--scripts/x.sh", Cancel);

        Assert.Equal("echo lib", System.Text.Encoding.UTF8.GetString(content));
        Assert.Equal("/resources/blueprints/default_tenant/bp/lib--scripts/x.sh", stub.Requests[0].Request.RequestUri?.AbsolutePath);
        Assert.Equal("/resources/blueprints/default_tenant/bp/scripts/x.sh", stub.Requests[1].Request.RequestUri?.AbsolutePath);
    }

    [Fact]
    public async Task PostEvents_SendsEventsLogsAndExecutionId()
    {
        var stub = new StubHttpHandler().Respond(HttpStatusCode.NoContent, string.Empty);
        using var http = new HttpClient(stub);
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent-x");

        await api.PostEventsAsync([], [new JsonObject { ["type"] = "cloudify_log" }], Cancel);

        var body = JsonNode.Parse(stub.Requests[0].Body!)!;
        Assert.Equal("exec-1", body["execution_id"]?.GetValue<string>());
        Assert.Equal("agent-x", body["agent_name"]?.GetValue<string>());
        Assert.Single(body["logs"]!.AsArray());
    }
}
