using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Inter-deployment dependencies: recorded from get_capability at deployment create, the REST resource, and delete rules.</summary>
public sealed class InterDeploymentDependencyTests
{
    private const string Api = "/api/v3.1/deployments/inter-deployment-dependencies";

    private const string Shared = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        capabilities:
          endpoint: {value: 'https://db.example:5432'}
        """;

    private const string Consumer = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        inputs:
          provider: {default: shared}
        node_types:
          T:
            derived_from: cloudify.nodes.Root
            properties: {endpoint: {}}
        node_templates:
          client:
            type: T
            capabilities: {scalable: {properties: {default_instances: 2}}}
            properties: {endpoint: {get_capability: [{get_input: provider}, endpoint]}}
        outputs:
          endpoint: {value: {concat: ['at ', {get_capability: [shared, endpoint]}]}}
        """;

    private static async Task<ManagerFixture> StartAsync(bool runtimeOnly = false)
    {
        var manager = await ManagerFixture.StartAsync();
        foreach (var (id, yaml) in new[] { ("shared", Shared), ("consumer", Consumer) })
        {
            await manager.Client.UploadValidAsync(id, Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]));
            var created = await manager.Client.SendAsync(
                HttpMethod.Put, $"/api/v3.1/deployments/{id}", new JsonObject { ["blueprint_id"] = id, ["runtime_only_evaluation"] = runtimeOnly });
            Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        }

        return manager;
    }

    private static async Task<JsonArray> ListAsync(ManagerFixture manager, string query = "")
    {
        var list = await manager.Client.GetJsonAsync($"{Api}?_sort=dependency_creator{query}");
        Assert.True(list.Status == HttpStatusCode.OK, list.Body?.ToJsonString());
        return list.Body!["items"]!.AsArray();
    }

    [Fact]
    public async Task DeploymentCreate_RecordsOneDependencyPerUse_WithCloudifysCreatorPaths()
    {
        await using var manager = await StartAsync();

        var items = await ListAsync(manager, "&source_deployment_id=consumer");

        Assert.Equal(
            ["nodes.client.properties.endpoint.get_capability", "nodes.client.properties.endpoint.get_capability", "outputs.endpoint.value.concat[1].get_capability"],
            items.Select(i => i!["dependency_creator"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal("shared", i!["target_deployment_id"]?.GetValue<string>()));
        Assert.All(items, i => Assert.Equal("consumer", i!["source_deployment_id"]?.GetValue<string>()));
        Assert.Empty(await ListAsync(manager, "&source_deployment_id=shared"));
    }

    [Fact]
    public async Task DeploymentCreate_KeepsAFunctionTarget_AndResolvesIt_WhenFunctionsStayRaw()
    {
        await using var manager = await StartAsync(runtimeOnly: true);

        var fromNode = (await ListAsync(manager, "&source_deployment_id=consumer")).First()!;

        Assert.Equal("nodes.client.properties.endpoint.get_capability", fromNode["dependency_creator"]!.GetValue<string>());
        Assert.Equal("shared", fromNode["target_deployment_id"]?.GetValue<string>());
        Assert.Equal("""{"get_input":"provider"}""", fromNode["target_deployment_func"]!["function"]!.ToJsonString());
        Assert.StartsWith("client_", fromNode["target_deployment_func"]!["context"]!["self"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentDelete_RefusesWhileAnotherDependsOnIt_UnlessForced()
    {
        await using var manager = await StartAsync();

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/shared");
        var forced = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/shared?force=true");

        refused.AssertError(HttpStatusCode.BadRequest, "dependent_exists_error");
        Assert.Equal(
            "Can't delete deployment shared - the following existing installations depend on it:\n"
            + "[1] Deployment `consumer` uses capabilities of the current deployment in its node `client`\n"
            + "[2] Deployment `consumer` uses capabilities of the current deployment in its node `client`\n"
            + "[3] Deployment `consumer` uses capabilities of the current deployment in its node `endpoint`",
            refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, forced.Status);
        Assert.All(await ListAsync(manager), i => Assert.Null(i!["target_deployment_id"]));
    }

    [Fact]
    public async Task DeploymentDelete_TakesItsOwnDependenciesAlong()
    {
        await using var manager = await StartAsync();

        var deleted = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/consumer");
        var shared = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/shared");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (deleted.Status, shared.Status));
        Assert.Empty(await ListAsync(manager));
    }

    [Fact]
    public async Task Put_CreatesOne_DeleteRemovesIt_AndACycleIsRefused()
    {
        await using var manager = await StartAsync();
        var body = new JsonObject { ["dependency_creator"] = "custom.link", ["source_deployment"] = "shared", ["target_deployment"] = "consumer" };

        var cyclic = await manager.Client.SendAsync(HttpMethod.Put, Api, body);
        var reverse = new JsonObject { ["dependency_creator"] = "custom.link", ["source_deployment"] = "consumer", ["target_deployment"] = "shared" };
        var created = await manager.Client.SendAsync(HttpMethod.Put, Api, reverse);
        var listed = await ListAsync(manager, "&dependency_creator=custom.link");
        var deleted = await manager.Client.SendAsync(HttpMethod.Delete, Api, reverse);
        var again = await manager.Client.SendAsync(HttpMethod.Delete, Api, reverse);

        cyclic.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal("Cyclic dependency between shared and consumer", cyclic.Body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(("custom.link", "consumer", "shared", "admin"), (
            created.Body!["dependency_creator"]!.GetValue<string>(), created.Body["source_deployment_id"]!.GetValue<string>(),
            created.Body["target_deployment_id"]!.GetValue<string>(), created.Body["created_by"]!.GetValue<string>()));
        Assert.Equal(created.Body["id"]!.GetValue<string>(), listed.Single()!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        again.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Empty(await ListAsync(manager, "&dependency_creator=custom.link"));
    }

    [Fact]
    public async Task Put_RefusesAnUnknownSource_AMissingTarget_AndABadType()
    {
        await using var manager = await StartAsync();

        var noSource = await manager.Client.SendAsync(
            HttpMethod.Put, Api, new JsonObject { ["dependency_creator"] = "x", ["source_deployment"] = "ghost", ["target_deployment"] = "shared" });
        var noTarget = await manager.Client.SendAsync(
            HttpMethod.Put, Api, new JsonObject { ["dependency_creator"] = "x", ["source_deployment"] = "consumer", ["target_deployment"] = "ghost" });
        var badType = await manager.Client.SendAsync(
            HttpMethod.Put, Api, new JsonObject { ["dependency_creator"] = "x", ["source_deployment"] = "consumer", ["target_deployment_func"] = "f" });

        noSource.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("Given source deployment with ID `ghost` does not exist.", noSource.Body!["message"]!.GetValue<string>());
        noTarget.AssertError(HttpStatusCode.NotFound, "not_found_error");
        badType.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("target_deployment_func parameter is expected to be of type dict but is of type str", badType.Body!["message"]!.GetValue<string>());
        Assert.Empty(await ListAsync(manager, "&dependency_creator=x"));
    }

    [Fact]
    public async Task Post_CreatesManyForOneSource_InOneTransaction()
    {
        await using var manager = await StartAsync();
        var many = new JsonObject
        {
            ["source_deployment_id"] = "consumer",
            ["inter_deployment_dependencies"] = new JsonArray(
                new JsonObject { ["dependency_creator"] = "a.one", ["target_deployment"] = "shared" },
                new JsonObject { ["dependency_creator"] = "a.two", ["target_deployment"] = "gone" }),
        };
        var cyclic = new JsonObject
        {
            ["source_deployment_id"] = "shared",
            ["inter_deployment_dependencies"] = new JsonArray(
                new JsonObject { ["dependency_creator"] = "b.fine", ["target_deployment"] = "gone" },
                new JsonObject { ["dependency_creator"] = "b.loop", ["target_deployment"] = "consumer" }),
        };

        var created = await manager.Client.SendAsync(HttpMethod.Post, Api, many);
        var refused = await manager.Client.SendAsync(HttpMethod.Post, Api, cyclic);

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(2, created.Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
        var stored = await ListAsync(manager, "&dependency_creator=a.one&dependency_creator=a.two");
        Assert.Equal(["shared", null], stored.Select(i => i!["target_deployment_id"]?.GetValue<string>()));
        refused.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Empty(await ListAsync(manager, "&source_deployment_id=shared"));
    }
}
