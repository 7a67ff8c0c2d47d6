using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class InstallFlowTests
{
    [Fact]
    public async Task DeploymentsCreate_SendsInputsFromYamlFileAndPairs_AndWaitsForEnvironment()
    {
        using var cli = new CliRun();
        var inputs = Path.Combine(cli.Home, "inputs.yaml");
        await File.WriteAllTextAsync(inputs, "site_dir: /srv/www\nport: 8080\n", TestContext.Current.CancellationToken);
        cli.Manager
            .On("PUT /api/v3.1/deployments/web", _ => FakeManager.Json(
                HttpStatusCode.Created, new JsonObject { ["id"] = "web", ["blueprint_id"] = "bp", ["create_execution"] = "c1" }))
            .OnJson("GET /api/v3.1/executions/c1", Samples.Execution("c1", "terminated", "create_deployment_environment"));

        var exit = await cli.RunAsync("deployments", "create", "web", "-b", "bp", "-i", inputs, "-i", "port=9090");

        Assert.True(exit == 0, cli.Error);
        var body = JsonNode.Parse(cli.Manager.Requests.First(r => r.Method == HttpMethod.Put).BodyText)!;
        Assert.Equal("bp", body["blueprint_id"]!.GetValue<string>());
        Assert.Equal("/srv/www", body["inputs"]!["site_dir"]!.GetValue<string>());
        Assert.Equal(9090, body["inputs"]!["port"]!.GetValue<int>());
        Assert.Contains(cli.Manager.Requests, r => r.Uri.AbsolutePath == "/api/v3.1/executions/c1");
        Assert.Contains("Deployment created. The deployment's id is web", cli.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], false, null)]
    [InlineData(new[] { "--runtime-only-evaluation", "--auto-correct-types" }, true, true)]
    public async Task DeploymentsCreate_SendsEvaluationFlags_LikeCfy(string[] flags, bool runtimeOnly, bool? autoCorrect)
    {
        using var cli = new CliRun();
        cli.Manager
            .On("PUT /api/v3.1/deployments/web", _ => FakeManager.Json(
                HttpStatusCode.Created, new JsonObject { ["id"] = "web", ["blueprint_id"] = "bp", ["create_execution"] = "c1" }))
            .OnJson("GET /api/v3.1/executions/c1", Samples.Execution("c1", "terminated", "create_deployment_environment"));

        var exit = await cli.RunAsync(["deployments", "create", "web", "-b", "bp", "-i", "port=9090", .. flags]);

        Assert.True(exit == 0, cli.Error);
        var body = JsonNode.Parse(cli.Manager.Requests.First(r => r.Method == HttpMethod.Put).BodyText)!;
        Assert.Equal(runtimeOnly, body["runtime_only_evaluation"]!.GetValue<bool>());
        Assert.Equal(autoCorrect, body["auto_correct_types"]?.GetValue<bool>());
    }

    [Fact]
    public async Task DeploymentsCreate_Exits1_WhenEnvironmentCreationFails()
    {
        using var cli = new CliRun();
        cli.Manager
            .On("PUT /api/v3.1/deployments/web", _ => FakeManager.Json(
                HttpStatusCode.Created, new JsonObject { ["id"] = "web", ["create_execution"] = "c1" }))
            .OnJson("GET /api/v3.1/executions/c1", Samples.Execution("c1", "failed", "create_deployment_environment", "bad plugin"));

        var exit = await cli.RunAsync("deployments", "create", "web", "-b", "bp");

        Assert.Equal(1, exit);
        Assert.Contains("creating deployment web ended failed: bad plugin", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_RunsWorkflowThenDeletesDeploymentThenBlueprint_InThatOrder()
    {
        using var cli = new CliRun();
        var deleted = false;
        cli.Manager
            .On("GET /api/v3.1/deployments/dep", _ => deleted
                ? FakeManager.Json(HttpStatusCode.NotFound, Samples.Error("not_found_error", "Requested `Deployment` with ID `dep` was not found"))
                : FakeManager.Json(HttpStatusCode.OK, new JsonObject { ["id"] = "dep", ["blueprint_id"] = "bp" }))
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("u1", "pending", "uninstall")))
            .OnJson("GET /api/v3.1/executions/u1", Samples.Execution("u1", "terminated", "uninstall"))
            .OnJson("GET /api/v3.1/events", FakeManager.List())
            .On("DELETE /api/v3.1/deployments/dep", _ =>
            {
                deleted = true;
                return new HttpResponseMessage(HttpStatusCode.NoContent);
            })
            .On("DELETE /api/v3.1/blueprints/bp", _ => new HttpResponseMessage(HttpStatusCode.NoContent));

        var exit = await cli.RunAsync("uninstall", "dep");

        Assert.True(exit == 0, cli.Error);
        var steps = cli.Manager.Requests
            .Where(r => r.Method != HttpMethod.Get)
            .Select(r => $"{r.Method} {r.Uri.AbsolutePath}")
            .ToList();
        Assert.Equal(["POST /api/v3.1/executions", "DELETE /api/v3.1/deployments/dep", "DELETE /api/v3.1/blueprints/bp"], steps);
        Assert.Equal("uninstall", JsonNode.Parse(cli.Manager.Requests.First(r => r.Method == HttpMethod.Post).BodyText)!["workflow_id"]!.GetValue<string>());
        Assert.Contains("Blueprint deleted", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_KeepsDeployment_WhenUninstallWorkflowFails()
    {
        using var cli = new CliRun();
        cli.Manager
            .OnJson("GET /api/v3.1/deployments/dep", new JsonObject { ["id"] = "dep", ["blueprint_id"] = "bp" })
            .On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("u1", "pending", "uninstall")))
            .OnJson("GET /api/v3.1/executions/u1", Samples.Execution("u1", "failed", "uninstall", "stop.sh exited 1"))
            .OnJson("GET /api/v3.1/events", FakeManager.List());

        var exit = await cli.RunAsync("uninstall", "dep");

        Assert.Equal(1, exit);
        Assert.DoesNotContain(cli.Manager.Requests, r => r.Method == HttpMethod.Delete);
        Assert.Contains("[error=stop.sh exited 1]", cli.Error, StringComparison.Ordinal);
    }
}
