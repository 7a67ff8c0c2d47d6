using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;
using Stratus.Storage.Sqlite;

namespace Stratus.Server.Tests;

/// <summary>The composition root with everything in: SQLite, in-process broker, workflow engine and agent.</summary>
public sealed class ManagerHostTests
{
    [Fact]
    public async Task Install_RunsTheBlueprintScripts_ThroughTheEngineAndAgent_ThenUninstallAndDelete()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        var (store, watcher) = ExecutionEndWatcher.Wrap(new SqliteStratusStore(Path.Combine(dataDir, "stratus.db"), TimeProvider.System));
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, overrides: new HostOverrides { Store = store, RunEngine = true });
        var site = Path.Combine(dataDir, "site");
        await manager.Client.UploadValidAsync("hw", HelloWorldArchive());
        var created = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/hwd", new JsonObject { ["blueprint_id"] = "hw", ["inputs"] = new JsonObject { ["site_dir"] = site } });
        Assert.Equal(HttpStatusCode.Created, created.Status);

        var install = await StartAsync(manager, "install");
        Assert.Equal("terminated", await watcher.EndOfAsync(install, TimeSpan.FromSeconds(60)));

        var instance = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=hwd")).Body!["items"]![0]!;
        Assert.Equal("started", instance["state"]!.GetValue<string>());
        var page = Path.Combine(site, "index.html");
        Assert.True(File.Exists(page), "the create/configure scripts wrote the page");
        var outputs = await manager.Client.GetJsonAsync("/api/v3.1/deployments/hwd/outputs");
        Assert.Equal(page, outputs.Body!["outputs"]!["page"]!.GetValue<string>());
        var deployment = await manager.Client.GetJsonAsync("/api/v3.1/deployments/hwd");
        Assert.Equal("install", deployment.Body!["latest_execution_workflow_id"]!.GetValue<string>());
        var events = await manager.Client.GetJsonAsync($"/api/v3.1/events?execution_id={install}&type=cloudify_event&_sort=@timestamp");
        Assert.Contains(events.Body!["items"]!.AsArray(), e => e!["event_type"]!.GetValue<string>() == "workflow_succeeded");

        var uninstall = await StartAsync(manager, "uninstall");
        Assert.Equal("terminated", await watcher.EndOfAsync(uninstall, TimeSpan.FromSeconds(60)));
        Assert.False(File.Exists(page), "the delete script removed the page");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/hwd")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/hw")).Status);
    }

    private static async Task<string> StartAsync(ManagerFixture manager, string workflow)
    {
        var started = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "hwd", ["workflow_id"] = workflow });
        Assert.True(started.Status == HttpStatusCode.Created, $"{workflow}: {(int)started.Status} {started.Body?.ToJsonString()}");
        return started.Body!["id"]!.GetValue<string>();
    }

    private static byte[] HelloWorldArchive()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "hello-world"));
        var entries = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => new ArchiveEntry("hello-world/" + Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)));
        return Archives.TarGz(entries);
    }
}
