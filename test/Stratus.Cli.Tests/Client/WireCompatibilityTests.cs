using System.Net;
using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Tests.Client;

/// <summary>The client reads what a real Cloudify 7.1 manager answered (recorded bodies under Wire/).</summary>
public sealed class WireCompatibilityTests : IDisposable
{
    private readonly FakeManager _manager = new();
    private readonly HttpClient _http;
    private readonly StratusClient _client;

    public WireCompatibilityTests()
    {
        _http = new HttpClient(_manager);
        _client = new StratusClient(_http, new StratusClientOptions { BaseAddress = new Uri("http://cloudify.test"), Password = "pw" });
    }

    [Fact]
    public async Task ExecutionGet_ReadsTerminatedInstallWithCounts()
    {
        Serve("GET /api/v3.1/executions/773e9089-3093-4b76-b6ef-6b8ca3428888", "23-execution-get");

        var execution = await _client.Executions.GetAsync("773e9089-3093-4b76-b6ef-6b8ca3428888", TestContext.Current.CancellationToken);

        Assert.Equal("install", execution.WorkflowId);
        Assert.Equal(ExecutionStates.Terminated, execution.Status);
        Assert.Equal("completed", execution.StatusDisplay);
        Assert.True(execution.IsEnded);
        Assert.Equal(76, execution.TotalOperations);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 6, 8, 21, 289, TimeSpan.Zero), execution.EndedAt);
    }

    [Fact]
    public async Task EventsList_ReadsEventsAndLogsWithPagination()
    {
        Serve("GET /api/v3.1/events", "31-events-list");

        var page = await _client.Events.ListAsync(new EventsQuery { ExecutionId = "x" }, TestContext.Current.CancellationToken);

        Assert.Equal(226, page.Metadata.Pagination.Total);
        Assert.Equal(30, page.Items.Count);
        var log = page.Items.First(e => e.IsLog);
        Assert.Equal("info", log.Level);
        Assert.Equal("cloudify.interfaces.lifecycle.create", log.Operation);
        Assert.Equal("db_3ydokc", log.NodeInstanceId);
        Assert.Equal("workflow_started", page.Items[0].EventTypeName);
        Assert.Equal(9, page.Items[0].StorageId);
    }

    [Fact]
    public async Task NodeInstanceGet_ReadsRuntimePropertiesAndVersion()
    {
        Serve("GET /api/v3.1/node-instances/db_3ydokc", "28-node-instance-get");

        var instance = await _client.NodeInstances.GetAsync("db_3ydokc", TestContext.Current.CancellationToken);

        Assert.Equal("started", instance.State);
        Assert.Equal(11, instance.Version);
        Assert.Equal(6543, instance.RuntimeProperties!["listen_port"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeploymentGet_ReadsInputsStatusesAndCreateExecution()
    {
        Serve("GET /api/v3.1/deployments/dep", "16-deployment-get");

        var deployment = await _client.Deployments.GetAsync("dep", TestContext.Current.CancellationToken);

        Assert.Equal("lifecycle", deployment.BlueprintId);
        Assert.Equal("inactive", deployment.InstallationStatus);
        Assert.Equal("2d91f855-4372-4ffe-9442-223377c528c6", deployment.CreateExecution);
        Assert.Equal(2, deployment.Inputs!["app_count"]!.GetValue<int>());
        Assert.NotNull(deployment.Outputs!["db_endpoint"]!["value"]);
    }

    [Fact]
    public async Task DeploymentOutputs_ReadsEvaluatedValues()
    {
        Serve("GET /api/v3.1/deployments/dep/outputs", "25-deployment-outputs");

        var outputs = await _client.Deployments.GetOutputsAsync("dep", TestContext.Current.CancellationToken);

        Assert.Equal("db:6543", outputs.Outputs["db_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidUpload_BecomesApiExceptionWithCloudifyCode()
    {
        Serve("PUT /api/v3.1/blueprints/bad", "12-blueprint-upload-invalid");
        var archive = new BlueprintArchive([1, 2, 3], "blueprint.yaml");

        var error = await Assert.ThrowsAsync<StratusApiException>(
            () => _client.Blueprints.UploadAsync("bad", archive, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("invalid_blueprint_error", error.ErrorCode);
        Assert.StartsWith("Blueprint `bad` is invalid.", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        _manager.Dispose();
    }

    private void Serve(string route, string wireFile)
    {
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Wire", wireFile + ".json")))!;
        var status = (HttpStatusCode)recorded["status"]!.GetValue<int>();
        _manager.On(route, _ => FakeManager.Json(status, recorded["body"]!.DeepClone()));
    }
}
