using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>/deployment-modifications: start, get, list, finish and rollback with Cloudify's shapes and error codes.</summary>
public sealed class DeploymentModificationTests
{
    private const string Api = "/api/v3.1/deployment-modifications";

    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        node_templates:
          vm:
            type: cloudify.nodes.Root
          app:
            type: cloudify.nodes.Root
            capabilities: {scalable: {properties: {default_instances: 2}}}
            relationships: [{type: cloudify.relationships.contained_in, target: vm}]
          lb:
            type: cloudify.nodes.Root
            relationships: [{type: cloudify.relationships.connected_to, target: app}]
        """;

    private static async Task<ManagerFixture> StartAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", Blueprint)]));
        var created = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", new JsonObject { ["blueprint_id"] = "bp" });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        return manager;
    }

    private static async Task<JsonObject> StartModificationAsync(ManagerFixture manager, int apps)
    {
        var started = await manager.Client.SendAsync(HttpMethod.Post, Api, new JsonObject
        {
            ["deployment_id"] = "d1",
            ["nodes"] = new JsonObject { ["app"] = new JsonObject { ["instances"] = apps } },
            ["context"] = new JsonObject { ["workflow_id"] = "scale" },
        });
        Assert.True(started.Status == HttpStatusCode.Created, started.Body?.ToJsonString());
        return started.Body!.AsObject();
    }

    private static async Task<List<JsonObject>> InstancesAsync(ManagerFixture manager, string node)
    {
        var list = await manager.Client.GetJsonAsync($"/api/v3.1/node-instances?deployment_id=d1&node_id={node}");
        return [.. list.Body!["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static string Text(JsonNode? node, string name) => node![name]!.GetValue<string>();

    [Fact]
    public async Task Post_AddsUninitializedInstances_AndLinksTheRelatedOnes()
    {
        await using var manager = await StartAsync();

        var started = await StartModificationAsync(manager, 3);

        var apps = await InstancesAsync(manager, "app");
        var lb = (await InstancesAsync(manager, "lb"))[0];
        var node = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=d1&id=app");
        var added = started["node_instances"]!["added_and_related"]!.AsArray().Where(i => i!["modification"]?.GetValue<string>() == "added").ToList();
        Assert.Equal(("started", "d1", """{"workflow_id":"scale"}""", """{"app":{"instances":3}}"""), (
            Text(started, "status"), Text(started, "deployment_id"), started["context"]!.ToJsonString(), started["modified_nodes"]!.ToJsonString()));
        Assert.Null(started["ended_at"]);
        Assert.Equal(4, started["node_instances"]!["before_modification"]!.AsArray().Count);
        Assert.Single(added);
        Assert.Equal(3, apps.Count);
        Assert.Equal("uninitialized", Text(apps.Single(a => Text(a, "id") == Text(added[0], "id")), "state"));
        Assert.Equal(3, apps.Select(a => a["index"]!.GetValue<int>()).Max());
        Assert.Equal(3, lb["relationships"]!.AsArray().Count);
        Assert.Equal((2, 3), (node.Body!["items"]![0]!["number_of_instances"]!.GetValue<int>(), node.Body["items"]![0]!["planned_number_of_instances"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Post_Returns400_WhileAnotherIsStarted_AndWhenTheBodyIsWrong()
    {
        await using var manager = await StartAsync();
        var first = await StartModificationAsync(manager, 3);

        var second = await manager.Client.SendAsync(HttpMethod.Post, Api, new JsonObject { ["deployment_id"] = "d1", ["nodes"] = new JsonObject() });
        var unknown = await manager.Client.SendAsync(HttpMethod.Post, Api, new JsonObject { ["deployment_id"] = "nope" });
        var missing = await manager.Client.SendAsync(HttpMethod.Post, Api, new JsonObject { ["nodes"] = new JsonObject() });

        Assert.Equal((HttpStatusCode.BadRequest, "existing_started_deployment_modification_error"), (second.Status, Text(second.Body, "error_code")));
        Assert.Contains(Text(first, "id"), Text(second.Body, "message"), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, "not_found_error"), (unknown.Status, Text(unknown.Body, "error_code")));
        Assert.Equal((HttpStatusCode.BadRequest, "Missing deployment_id in json request body"), (missing.Status, Text(missing.Body, "message")));
    }

    [Fact]
    public async Task Post_Returns400_WhenTheEntityIsNotANodeOrGroup_AndStoresNothing()
    {
        await using var manager = await StartAsync();

        var bad = await manager.Client.SendAsync(HttpMethod.Post, Api, new JsonObject
        {
            ["deployment_id"] = "d1",
            ["nodes"] = new JsonObject { ["web"] = new JsonObject { ["instances"] = 2 } },
        });
        var list = await manager.Client.GetJsonAsync($"{Api}?deployment_id=d1");

        Assert.Equal((HttpStatusCode.BadRequest, "bad_parameters_error"), (bad.Status, Text(bad.Body, "error_code")));
        Assert.Contains("'web'", Text(bad.Body, "message"), StringComparison.Ordinal);
        Assert.Equal(0, list.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Finish_DeletesRemovedInstances_AndUnlinksTheirSources()
    {
        await using var manager = await StartAsync();
        var keep = Text((await InstancesAsync(manager, "app"))[0], "id");
        var started = await manager.Client.SendAsync(HttpMethod.Post, Api, new JsonObject
        {
            ["deployment_id"] = "d1",
            ["nodes"] = new JsonObject { ["app"] = new JsonObject { ["instances"] = 1, ["removed_ids_exclude_hint"] = new JsonArray(keep) } },
        });
        var id = Text(started.Body, "id");

        var finished = await manager.Client.SendAsync(HttpMethod.Post, $"{Api}/{id}/finish");
        var again = await manager.Client.SendAsync(HttpMethod.Post, $"{Api}/{id}/rollback");

        var apps = await InstancesAsync(manager, "app");
        var lb = (await InstancesAsync(manager, "lb"))[0];
        var node = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=d1&id=app");
        Assert.Equal(HttpStatusCode.OK, finished.Status);
        Assert.Equal("finished", Text(finished.Body, "status"));
        Assert.NotNull(finished.Body!["ended_at"]);
        Assert.Equal([keep], apps.Select(a => Text(a, "id")));
        Assert.Equal([keep], lb["relationships"]!.AsArray().Select(r => Text(r, "target_id")));
        Assert.Equal(1, node.Body!["items"]![0]!["number_of_instances"]!.GetValue<int>());
        Assert.Equal((HttpStatusCode.BadRequest, "deployment_modification_already_ended_error"), (again.Status, Text(again.Body, "error_code")));
        Assert.Equal($"Cannot rollback deployment modification: {id}. It is already in finished status.", Text(again.Body, "message"));
    }

    [Fact]
    public async Task Rollback_PutsTheInstancesBack_AndKeepsThemInBeforeRollback()
    {
        await using var manager = await StartAsync();
        var before = (await InstancesAsync(manager, "app")).Select(a => Text(a, "id")).Order(StringComparer.Ordinal).ToList();
        var started = await StartModificationAsync(manager, 4);

        var rolledBack = await manager.Client.SendAsync(HttpMethod.Post, $"{Api}/{Text(started, "id")}/rollback");
        var got = await manager.Client.GetJsonAsync($"{Api}/{Text(started, "id")}?_include=id,status");
        var list = await manager.Client.GetJsonAsync($"{Api}?deployment_id=d1&_include=id");

        var apps = (await InstancesAsync(manager, "app")).Select(a => Text(a, "id")).Order(StringComparer.Ordinal).ToList();
        var lb = (await InstancesAsync(manager, "lb"))[0];
        var node = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=d1&id=app");
        Assert.Equal("rolledback", Text(rolledBack.Body, "status"));
        Assert.Equal(6, rolledBack.Body!["node_instances"]!["before_rollback"]!.AsArray().Count);
        Assert.Equal(before, apps);
        Assert.Equal(2, lb["relationships"]!.AsArray().Count);
        Assert.Equal(2, node.Body!["items"]![0]!["planned_number_of_instances"]!.GetValue<int>());
        Assert.Equal($$"""{"id":"{{Text(started, "id")}}","status":"rolledback"}""", got.Body!.ToJsonString());
        Assert.Single(list.Body!["items"]!.AsArray());
    }
}
