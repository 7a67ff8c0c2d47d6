using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class ExecutionFollowTests
{
    [Fact]
    public async Task ExecutionsStart_PrintsEveryEventOnceAndExits0_WhenExecutionTerminates()
    {
        using var cli = new CliRun();
        cli.Manager
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e1", "pending")))
            .OnJson("GET /api/v3.1/executions/e1", Samples.Execution("e1", "started"), Samples.Execution("e1", "terminated"))
            .On("GET /api/v3.1/events", EventsByOffset(
                Samples.Event("Starting 'install' workflow execution"),
                Samples.Event("Wrote the page", "cloudify_log", "web_1", "cloudify.interfaces.lifecycle.configure"),
                Samples.Event("'install' workflow execution succeeded")));

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep", "-p", "x=1");

        Assert.Equal(0, exit);
        Assert.Contains("Executing workflow `install` on deployment `dep`", cli.Out, StringComparison.Ordinal);
        Assert.Contains("LOG <dep> [web_1.configure] INFO: Wrote the page", cli.Out, StringComparison.Ordinal);
        Assert.Single(cli.Out.Split('\n'), l => l.Contains("workflow execution succeeded", StringComparison.Ordinal));
        Assert.EndsWith("Finished executing workflow install on deployment dep\n", cli.Out, StringComparison.Ordinal);
        var start = JsonNode.Parse(cli.Manager.Requests.First(r => r.Method == HttpMethod.Post).BodyText)!;
        Assert.Equal("install", start["workflow_id"]!.GetValue<string>());
        Assert.Equal(1, start["parameters"]!["x"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExecutionsStart_WaitsForEnvironmentAndRetries_WhenDeploymentIsStillBeingCreated()
    {
        using var cli = new CliRun();
        cli.Manager
            .On(
                "POST /api/v3.1/executions",
                _ => FakeManager.Json(HttpStatusCode.BadRequest, Samples.Error("deployment_environment_creation_in_progress_error", "still creating")),
                _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e1", "pending")))
            .OnJson("GET /api/v3.1/deployments/dep", new JsonObject { ["id"] = "dep", ["create_execution"] = "c1" })
            .OnJson("GET /api/v3.1/executions/c1", Samples.Execution("c1", "terminated", "create_deployment_environment"))
            .OnJson("GET /api/v3.1/executions/e1", Samples.Execution("e1", "terminated"))
            .On("GET /api/v3.1/events", EventsByOffset());

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep");

        Assert.True(exit == 0, cli.Error);
        Assert.Equal(2, cli.Manager.Requests.Count(r => r.Method == HttpMethod.Post));
        Assert.Contains("Deployment environment creation is in progress", cli.Out, StringComparison.Ordinal);
        Assert.Contains("Finished executing workflow install on deployment dep", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionsStart_Exits1AndShowsError_WhenExecutionFails()
    {
        using var cli = new CliRun();
        cli.Manager
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e1", "pending")))
            .OnJson("GET /api/v3.1/executions/e1", Samples.Execution("e1", "failed", error: "script exited 3"))
            .On("GET /api/v3.1/events", EventsByOffset());

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep");

        Assert.Equal(1, exit);
        Assert.Contains("failed. [error=script exited 3]", cli.Error, StringComparison.Ordinal);
        Assert.Contains("stratus events list -e e1", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionsStart_Exits1AndSaysHowToFollowUp_WhenTimeoutPasses()
    {
        using var cli = new CliRun();
        cli.Manager
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e1", "pending")))
            .OnJson("GET /api/v3.1/executions/e1", Samples.Execution("e1", "started"))
            .On("GET /api/v3.1/events", EventsByOffset(Samples.Event("Starting 'install' workflow execution")));

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep", "--timeout", "0");

        Assert.Equal(1, exit);
        Assert.Contains("Starting 'install' workflow execution", cli.Out, StringComparison.Ordinal);
        Assert.Contains("timed out waiting for workflow 'install' of deployment 'dep'", cli.Error, StringComparison.Ordinal);
        Assert.Contains("it is still started", cli.Error, StringComparison.Ordinal);
        Assert.Contains("stratus events list -e e1", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionsStart_Exits1_WhenExecutionIsCancelled()
    {
        using var cli = new CliRun();
        cli.Manager
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e1", "pending")))
            .OnJson("GET /api/v3.1/executions/e1", Samples.Execution("e1", "cancelled"))
            .On("GET /api/v3.1/events", EventsByOffset());

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep");

        Assert.Equal(1, exit);
        Assert.Contains("was cancelled", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionsStart_PrintsManagerErrorWithCode_WhenStartIsRefused()
    {
        using var cli = new CliRun();
        cli.Manager.On("POST /api/v3.1/executions", _ => FakeManager.Json(
            HttpStatusCode.BadRequest,
            Samples.Error("existing_running_execution_error", "The following executions are currently running for this deployment: ['e0']")));

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep");

        Assert.Equal(1, exit);
        Assert.Contains("Error: The following executions are currently running", cli.Error, StringComparison.Ordinal);
        Assert.Contains("[existing_running_execution_error]", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsListTail_FollowsUntilExecutionEnds_AndReportsIt()
    {
        using var cli = new CliRun();
        cli.Manager
            .OnJson("GET /api/v3.1/executions/e1", Samples.Execution("e1", "started"), Samples.Execution("e1", "started"), Samples.Execution("e1", "terminated"))
            .On("GET /api/v3.1/events", EventsByOffset(Samples.Event("'install' workflow execution succeeded")));

        var exit = await cli.RunAsync("events", "list", "-e", "e1", "--tail");

        Assert.Equal(0, exit);
        Assert.Contains("CFY <dep> 'install' workflow execution succeeded", cli.Out, StringComparison.Ordinal);
        Assert.EndsWith("Finished executing workflow install on deployment dep\n", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsList_RequestsLogsToo_WhenIncludeLogsIsGiven()
    {
        using var cli = new CliRun();
        cli.Manager.On("GET /api/v3.1/events", EventsByOffset(Samples.Event("hello", "cloudify_log", "n_1", "a.b.create")));

        var exit = await cli.RunAsync("events", "list", "-e", "e1", "--include-logs");

        Assert.Equal(0, exit);
        var query = cli.Manager.Requests.Single().Uri.Query;
        Assert.Contains("execution_id=e1", query, StringComparison.Ordinal);
        Assert.Contains("type=cloudify_event&type=cloudify_log", query, StringComparison.Ordinal);
        Assert.Contains("[n_1.create] INFO: hello", cli.Out, StringComparison.Ordinal);
        Assert.Contains("Total events: 1", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionsStart_PrintsLateStoredLogOnceAndNothingTwice_WhenItSortsBeforePrintedEvents()
    {
        using var cli = new CliRun();
        var first = Samples.Event("first");
        first["_storage_id"] = 1;
        var last = Samples.Event("last");
        last["_storage_id"] = 2;
        var late = Samples.Event("late log line", "cloudify_log", "web_1", "a.b.create");
        late["_storage_id"] = 1;
        var stored = new List<JsonObject> { first, last };
        cli.Manager
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e1", "pending")))
            .On(
                "GET /api/v3.1/executions/e1",
                _ =>
                {
                    stored.Insert(1, late);
                    return FakeManager.Json(HttpStatusCode.OK, Samples.Execution("e1", "started"));
                },
                _ => FakeManager.Json(HttpStatusCode.OK, Samples.Execution("e1", "terminated")))
            .On("GET /api/v3.1/events", request => EventsByOffset([.. stored])(request));

        var exit = await cli.RunAsync("executions", "start", "install", "-d", "dep");

        Assert.Equal(0, exit);
        var lines = cli.Out.Split('\n');
        Assert.Single(lines, l => l.EndsWith(" first", StringComparison.Ordinal));
        Assert.Single(lines, l => l.EndsWith(" last", StringComparison.Ordinal));
        Assert.Single(lines, l => l.EndsWith("INFO: late log line", StringComparison.Ordinal));
    }

    /// <summary>Serves the given events honouring <c>_offset</c>/<c>_size</c>, the way a manager pages them.</summary>
    private static Func<HttpRequestMessage, HttpResponseMessage> EventsByOffset(params JsonObject[] events) => request =>
    {
        for (var i = 0; i < events.Length; i++)
        {
            events[i]["_storage_id"] ??= 100 + i;
        }

        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var offset = int.Parse(query["_offset"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var size = int.Parse(query["_size"] ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
        var page = events.Skip(offset).Take(size).Select(e => (JsonNode)e.DeepClone()).ToArray();
        var body = FakeManager.List(page);
        body["metadata"]!["pagination"]!["total"] = events.Length;
        body["metadata"]!["pagination"]!["offset"] = offset;
        return FakeManager.Json(HttpStatusCode.OK, body);
    };
}
