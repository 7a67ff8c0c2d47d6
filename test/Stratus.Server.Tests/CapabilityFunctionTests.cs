using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary><c>get_capability</c>: another deployment's capability, evaluated in that deployment, as Cloudify's manager.</summary>
public sealed class CapabilityFunctionTests
{
    private const string Shared = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        inputs:
          url: {default: 'https://db.example:5432'}
        capabilities:
          endpoint: {value: {get_input: url}}
          connection: {value: {host: db.example, port: 5432, who: {get_sys: [deployment, id]}}}
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
            properties: {endpoint: {get_capability: [{get_input: provider}, endpoint]}}
        outputs:
          endpoint: {value: {get_capability: [shared, endpoint]}}
          port: {value: {get_capability: [{get_input: provider}, connection, port]}}
          owner: {value: {concat: ['from ', {get_capability: [shared, connection, who]}]}}
        """;

    private static async Task<ManagerFixture> StartAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        foreach (var (id, yaml) in new[] { ("shared", Shared), ("consumer", Consumer) })
        {
            await manager.Client.UploadValidAsync(id, Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]));
            var created = await manager.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/deployments/{id}", new JsonObject { ["blueprint_id"] = id });
            Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        }

        return manager;
    }

    [Fact]
    public async Task Outputs_ReadCapabilitiesOfAnotherDeployment_EvaluatedThere()
    {
        await using var manager = await StartAsync();

        var outputs = await manager.Client.GetJsonAsync("/api/v3.1/deployments/consumer/outputs");

        Assert.Equal(HttpStatusCode.OK, outputs.Status);
        Assert.Equal(
            new JsonObject { ["endpoint"] = "https://db.example:5432", ["port"] = 5432, ["owner"] = "from shared" }.ToJsonString(),
            outputs.Body!["outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task NodesRead_WithEvaluateFunctions_AnswersGetCapability()
    {
        await using var manager = await StartAsync();

        var raw = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=consumer&id=client");
        var evaluated = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=consumer&id=client&_evaluate_functions=true");

        Assert.NotNull(raw.Body!["items"]![0]!["properties"]!["endpoint"]!["get_capability"]);
        Assert.Equal("https://db.example:5432", evaluated.Body!["items"]![0]!["properties"]!["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task EvaluateFunctions_RefusesAnUndeclaredCapability_AndAnUnknownDeployment()
    {
        await using var manager = await StartAsync();

        var undeclared = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "consumer", ["payload"] = new JsonObject { ["x"] = new JsonObject { ["get_capability"] = new JsonArray("shared", "nope") } } });
        var unknown = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "consumer", ["payload"] = new JsonObject { ["x"] = new JsonObject { ["get_capability"] = new JsonArray("ghost", "endpoint") } } });

        Assert.Equal(HttpStatusCode.BadRequest, undeclared.Status);
        Assert.Equal("functions_evaluation_error", undeclared.Body!["error_code"]!.GetValue<string>());
        Assert.Contains("`nope` is not declared in deployment `shared`", undeclared.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found_error", unknown.Body!["error_code"]!.GetValue<string>());
    }
}
