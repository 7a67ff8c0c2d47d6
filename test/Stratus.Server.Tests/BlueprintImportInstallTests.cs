using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;
using Stratus.Storage.Sqlite;

namespace Stratus.Server.Tests;

/// <summary>Scripts of a <c>blueprint:</c> import and of a namespaced file, run by install through the engine and agent.</summary>
public sealed class BlueprintImportInstallTests
{
    private const string Shared = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports:
          - cloudify/types/types.yaml
        node_types:
          Marked:
            derived_from: cloudify.nodes.Root
            interfaces:
              cloudify.interfaces.lifecycle:
                create: scripts/mark.sh
        """;

    private const string Main = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports:
          - cloudify/types/types.yaml
          - shared--blueprint:shared
          - local--local.yaml
        node_templates:
          imported:
            type: shared--Marked
        """;

    private const string Local = """
        tosca_definitions_version: cloudify_dsl_1_4
        node_templates:
          own:
            type: cloudify.nodes.Root
            interfaces:
              cloudify.interfaces.lifecycle:
                create: scripts/own.sh
        """;

    [Fact]
    public async Task Install_RunsScriptsOfImportedBlueprintAndNamespacedFile()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        var (store, watcher) = ExecutionEndWatcher.Wrap(new SqliteStratusStore(Path.Combine(dataDir, "stratus.db"), TimeProvider.System));
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, overrides: new HostOverrides { Store = store, RunEngine = true });
        await manager.Client.UploadValidAsync("shared", Archives.TarGz(
        [
            new("shared/blueprint.yaml", Shared),
            new("shared/scripts/mark.sh", "#!/bin/bash\nctx instance runtime-properties marked_by shared\n"),
        ]));
        await manager.Client.UploadValidAsync("main", Archives.TarGz(
        [
            new("main/blueprint.yaml", Main),
            new("main/local.yaml", Local),
            new("main/scripts/own.sh", "#!/bin/bash\nctx instance runtime-properties marked_by local\n"),
        ]));
        var created = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d", new JsonObject { ["blueprint_id"] = "main" });
        Assert.True(created.Status == HttpStatusCode.Created, $"deployment: {(int)created.Status} {created.Body?.ToJsonString()}");

        var started = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "d", ["workflow_id"] = "install" });
        Assert.True(started.Status == HttpStatusCode.Created, $"install: {(int)started.Status} {started.Body?.ToJsonString()}");
        var install = started.Body!["id"]!.GetValue<string>();
        Assert.Equal("terminated", await watcher.EndOfAsync(install, TimeSpan.FromSeconds(60)));

        var instances = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=d")).Body!["items"]!.AsArray();
        Assert.Equal("shared", MarkOf(instances, "imported"));
        Assert.Equal("local", MarkOf(instances, "local--own"));
    }

    private static string? MarkOf(JsonArray instances, string node) =>
        instances.Single(i => i!["node_id"]!.GetValue<string>() == node)!["runtime_properties"]?["marked_by"]?.GetValue<string>();
}
