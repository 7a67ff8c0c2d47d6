using System.Net;
using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// What a new user does with examples/hello-world, over REST: upload, create, install, look at the result,
/// uninstall, delete. Shared by the SQLite and PostgreSQL managers.
/// </summary>
internal static class HelloWorldScenario
{
    private static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(ManagerProcess manager, string id)
    {
        var ct = TestContext.Current.CancellationToken;
        var client = manager.Client;
        var site = Path.Combine(manager.WorkDir, $"{id}-site");

        var blueprint = await client.Blueprints.UploadAsync(id, RepoPaths.HelloWorld, cancellationToken: ct);
        Assert.Equal("uploaded", blueprint.State);
        Assert.Equal("blueprint.yaml", blueprint.MainFileName);

        var deployment = await client.Deployments.CreateAsync(id, id, new JsonObject { ["site_dir"] = site }, ct);
        if (deployment.CreateExecution is { } creation)
        {
            var created = await Waits.ForExecutionEndAsync(client, creation, "create deployment", WorkflowTimeout, () => manager.Output);
            Assert.Equal(ExecutionStates.Terminated, created.Status);
        }

        var install = await client.Executions.StartAsync(id, "install", cancellationToken: ct);
        var installed = await Waits.ForExecutionEndAsync(client, install.Id, "install", WorkflowTimeout, () => manager.Output);
        Assert.True(installed.Status == ExecutionStates.Terminated, $"install ended {installed.Status}: {installed.Error}");

        var instance = Assert.Single((await client.NodeInstances.ListAsync(id, cancellationToken: ct)).Items);
        Assert.Equal("started", instance.State);
        var page = Path.Combine(site, "index.html");
        Assert.Equal(page, instance.RuntimeProperties?["page_path"]?.GetValue<string>());
        Assert.Contains("Hello, World!", await File.ReadAllTextAsync(page, ct), StringComparison.Ordinal);

        var outputs = await client.Deployments.GetOutputsAsync(id, ct);
        Assert.Equal(page, outputs.Outputs["page"]?.GetValue<string>());
        Assert.Equal("Hello, World!", outputs.Outputs["greeting"]?.GetValue<string>());

        var events = await client.Events.ListAsync(new EventsQuery { ExecutionId = install.Id, IncludeLogs = true }, ct);
        Assert.Contains(events.Items, e => e.IsLog && e.Message?.Contains($"Wrote the page to {page}", StringComparison.Ordinal) == true);
        Assert.Contains(events.Items, e => !e.IsLog && e.NodeInstanceId == instance.Id);
        var onlyEvents = await client.Events.ListAsync(new EventsQuery { ExecutionId = install.Id, IncludeLogs = false }, ct);
        Assert.All(onlyEvents.Items, e => Assert.Equal(CloudifyEvent.EventType, e.Type));

        var uninstall = await client.Executions.StartAsync(id, "uninstall", cancellationToken: ct);
        var uninstalled = await Waits.ForExecutionEndAsync(client, uninstall.Id, "uninstall", WorkflowTimeout, () => manager.Output);
        Assert.True(uninstalled.Status == ExecutionStates.Terminated, $"uninstall ended {uninstalled.Status}: {uninstalled.Error}");
        Assert.False(File.Exists(page), $"uninstall should have removed {page}");

        await client.Deployments.DeleteAsync(id, cancellationToken: ct);
        await Waits.ForNotFoundAsync(c => client.Deployments.GetAsync(id, c), "delete deployment", id, WorkflowTimeout);
        await client.Blueprints.DeleteAsync(id, cancellationToken: ct);
        var missing = await Assert.ThrowsAsync<StratusApiException>(() => client.Blueprints.GetAsync(id, ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found_error", missing.ErrorCode);
    }
}
