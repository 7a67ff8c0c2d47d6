using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>runtime_only_evaluation, <c>_evaluate_functions</c> reads and <c>POST /evaluate/functions</c>.</summary>
public sealed class FunctionEvaluationTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_5
        imports: [cloudify/types/types.yaml]
        inputs:
          greeting: {default: hello}
        node_types:
          T:
            derived_from: cloudify.nodes.Root
            properties: {message: {}, shout: {}}
        node_templates:
          n:
            type: T
            properties:
              message: {concat: [{get_input: greeting}, ' world']}
              shout: {string_upper: {get_property: [SELF, message]}}
        """;

    private static async Task<ManagerFixture> StartAsync(bool runtimeOnly)
    {
        var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("fn", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", Blueprint)]));
        var created = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/dep", new JsonObject { ["blueprint_id"] = "fn", ["runtime_only_evaluation"] = runtimeOnly });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        Assert.Equal(runtimeOnly, created.Body!["runtime_only_evaluation"]!.GetValue<bool>());
        return manager;
    }

    [Fact]
    public async Task RuntimeOnly_StoresFunctionsRaw_AndEvaluatesThemOnRead()
    {
        await using var manager = await StartAsync(runtimeOnly: true);

        var raw = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=dep&id=n");
        var evaluated = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=dep&id=n&_evaluate_functions=True");
        var deployment = await manager.Client.GetJsonAsync("/api/v3.1/deployments/dep");

        var rawProperties = raw.Body!["items"]![0]!["properties"]!;
        Assert.Equal("greeting", rawProperties["message"]!["concat"]![0]!["get_input"]!.GetValue<string>());
        Assert.Equal("message", rawProperties["shout"]!["string_upper"]!["get_property"]![1]!.GetValue<string>());
        var properties = evaluated.Body!["items"]![0]!["properties"]!;
        Assert.Equal("hello world", properties["message"]!.GetValue<string>());
        Assert.Equal("HELLO WORLD", properties["shout"]!.GetValue<string>());
        Assert.True(deployment.Body!["runtime_only_evaluation"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Default_EvaluatesHybridsAtCreation()
    {
        await using var manager = await StartAsync(runtimeOnly: false);

        var raw = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=dep&id=n");

        Assert.Equal("HELLO WORLD", raw.Body!["items"]![0]!["properties"]!["shout"]!.GetValue<string>());
    }

    [Fact]
    public async Task NodeInstanceGet_EvaluatesRuntimeProperties_InTheInstanceScope()
    {
        await using var manager = await StartAsync(runtimeOnly: true);
        var id = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep")).Body!["items"]![0]!["id"]!.GetValue<string>();
        var patch = await manager.Client.SendAsync(
            new HttpMethod("PATCH"),
            $"/api/v3.1/node-instances/{id}",
            new JsonObject
            {
                ["version"] = 1,
                ["runtime_properties"] = new JsonObject
                {
                    ["copy"] = new JsonObject { ["get_property"] = new JsonArray("SELF", "message") },
                    ["me"] = new JsonObject { ["get_attribute"] = new JsonArray("SELF", "node_instance_id") },
                },
            });
        Assert.Equal(HttpStatusCode.OK, patch.Status);

        var raw = await manager.Client.GetJsonAsync($"/api/v3.1/node-instances/{id}");
        var evaluated = await manager.Client.GetJsonAsync($"/api/v3.1/node-instances/{id}?_evaluate_functions=true");

        Assert.Equal("SELF", raw.Body!["runtime_properties"]!["copy"]!["get_property"]![0]!.GetValue<string>());
        Assert.Equal("hello world", evaluated.Body!["runtime_properties"]!["copy"]!.GetValue<string>());
        Assert.Equal(id, evaluated.Body!["runtime_properties"]!["me"]!.GetValue<string>());
    }

    [Fact]
    public async Task EvaluateFunctions_AnswersCloudifysShape_InTheContextGiven()
    {
        await using var manager = await StartAsync(runtimeOnly: true);
        var id = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=dep")).Body!["items"]![0]!["id"]!.GetValue<string>();

        var response = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject
            {
                ["deployment_id"] = "dep",
                ["context"] = new JsonObject { ["self"] = id },
                ["payload"] = new JsonObject
                {
                    ["a"] = new JsonObject { ["get_input"] = "greeting" },
                    ["b"] = new JsonObject { ["get_property"] = new JsonArray("SELF", "shout") },
                    ["c"] = new JsonObject { ["nested"] = new JsonArray(new JsonObject { ["get_attribute"] = new JsonArray("SELF", "node_instance_id") }) },
                    ["d"] = 5,
                },
            });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            new JsonObject
            {
                ["deployment_id"] = "dep",
                ["payload"] = new JsonObject { ["a"] = "hello", ["b"] = "HELLO WORLD", ["c"] = new JsonObject { ["nested"] = new JsonArray(id) }, ["d"] = 5 },
            }.ToJsonString(),
            response.Body!.ToJsonString());
    }

    [Fact]
    public async Task EvaluateFunctions_AnswersGetSys_FromTheStoredDeployment()
    {
        await using var manager = await StartAsync(runtimeOnly: false);

        var response = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject
            {
                ["deployment_id"] = "dep",
                ["payload"] = new JsonObject
                {
                    ["tenant"] = new JsonObject { ["get_sys"] = new JsonArray("tenant", "name") },
                    ["id"] = new JsonObject { ["get_sys"] = new JsonArray("deployment", "id") },
                    ["name"] = new JsonObject { ["get_sys"] = new JsonArray("deployment", "name") },
                    ["blueprint"] = new JsonObject { ["get_sys"] = new JsonArray("deployment", "blueprint") },
                    ["owner"] = new JsonObject { ["get_sys"] = new JsonArray("deployment", "owner") },
                },
            });
        var unknown = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "dep", ["payload"] = new JsonObject { ["x"] = new JsonObject { ["get_sys"] = new JsonArray("deployment", "colour") } } });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            new JsonObject { ["tenant"] = "default_tenant", ["id"] = "dep", ["name"] = "dep", ["blueprint"] = "fn", ["owner"] = "admin" }.ToJsonString(),
            response.Body!["payload"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("functions_evaluation_error", unknown.Body!["error_code"]!.GetValue<string>());
        Assert.Contains("deployment-colour", unknown.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateFunctions_Answers404_ForADeploymentOfAnotherTenant_And400_ForABadBody()
    {
        await using var manager = await StartAsync(runtimeOnly: false);
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");
        var payload = new JsonObject { ["x"] = new JsonObject { ["get_input"] = "greeting" } };

        var foreign = await other.SendAsync(HttpMethod.Post, "/api/v3.1/evaluate/functions", new JsonObject { ["deployment_id"] = "dep", ["payload"] = payload.DeepClone() });
        var noPayload = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/evaluate/functions", new JsonObject { ["deployment_id"] = "dep" });
        var badContext = await manager.Client.SendAsync(
            HttpMethod.Post, "/api/v3.1/evaluate/functions", new JsonObject { ["deployment_id"] = "dep", ["context"] = "x", ["payload"] = payload.DeepClone() });
        var unknownInput = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "dep", ["payload"] = new JsonObject { ["x"] = new JsonObject { ["get_input"] = "nope" } } });

        foreign.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("Requested `Deployment` with ID `dep` was not found", foreign.Body!["message"]!.GetValue<string>());
        noPayload.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Missing payload in json request body", noPayload.Body!["message"]!.GetValue<string>());
        badContext.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        unknownInput.AssertError(HttpStatusCode.BadRequest, "functions_evaluation_error");
        Assert.Equal(
            "Unable to evaluate get_input function: get_input function references an unknown input 'nope'.",
            unknownInput.Body!["message"]!.GetValue<string>());
    }
}
