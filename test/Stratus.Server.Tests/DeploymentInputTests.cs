using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Deployment-time inputs over REST: auto_correct_types, object types checked in the caller's tenant, and bad input.</summary>
public sealed class DeploymentInputTests
{
    private const string Typed = """
        tosca_definitions_version: cloudify_dsl_1_5
        imports: [cloudify/types/types.yaml]
        inputs:
          count: {type: integer, default: 1, constraints: [{in_range: [1, 5]}]}
          ratio: {type: float, default: 0.5}
          enabled: {type: boolean, default: false}
          source: {type: blueprint_id, required: false}
          peer: {type: deployment_id, required: false, constraints: [{name_pattern: {starts_with: prod}}]}
          peer_node: {type: node_id, required: false, constraints: [{deployment_id: prod1}]}
          peer_instance: {type: node_instance, required: false}
        node_templates:
          n: {type: cloudify.nodes.Root}
        """;

    private static byte[] Archive(string yaml) => Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]);

    private static JsonObject Body(JsonObject inputs, bool? autoCorrect = null)
    {
        var body = new JsonObject { ["blueprint_id"] = "typed", ["inputs"] = inputs };
        if (autoCorrect is { } flag)
        {
            body["auto_correct_types"] = flag;
        }

        return body;
    }

    private static async Task<ManagerFixture> StartWithTypedAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("typed", Archive(Typed));
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "prod1");
        return manager;
    }

    [Fact]
    public async Task Create_AutoCorrectsStringInputs_WhenAsked()
    {
        await using var manager = await StartWithTypedAsync();

        var created = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/d1", Body(new JsonObject { ["count"] = "3", ["ratio"] = "2", ["enabled"] = "true" }, autoCorrect: true));

        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        Assert.Equal("""{"count":3,"ratio":2.0,"enabled":true,"source":null,"peer":null,"peer_node":null,"peer_instance":null}""", created.Body!["inputs"]!.ToJsonString());
        // The create_deployment_environment execution records the request's inputs, as Cloudify's does (wire 20).
        var executions = await manager.Client.GetJsonAsync("/api/v3.1/executions?deployment_id=d1&_include_system_workflows=true");
        Assert.Equal(
            """{"inputs":{"count":"3","ratio":"2","enabled":"true"},"display_name":null}""",
            executions.Body!["items"]![0]!["parameters"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_Answers400_ForAStringInteger_WithoutAutoCorrect_AndWritesNothing()
    {
        await using var manager = await StartWithTypedAsync();

        var response = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", Body(new JsonObject { ["count"] = "3" }, autoCorrect: false));

        response.AssertError(HttpStatusCode.BadRequest, "deployment_creation_error");
        Assert.Equal(
            "dsl_parser.exceptions.ConstraintException: Value is not comparable, the Constraint argument type  is 'list' but value type is 'str'.",
            response.Body!["message"]!.GetValue<string>());
        await AssertNothingWrittenAsync(manager, "d1");
    }

    [Fact]
    public async Task Create_AcceptsObjectInputs_ThatExistInTheTenant()
    {
        await using var manager = await StartWithTypedAsync();
        var instance = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=prod1&node_id=db")).Body!["items"]![0]!["id"]!.GetValue<string>();

        var created = await manager.Client.SendAsync(
            HttpMethod.Put,
            "/api/v3.1/deployments/d1",
            Body(new JsonObject { ["source"] = "bp", ["peer"] = "prod1", ["peer_node"] = "app" }));

        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        var missingConstraint = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d2", Body(new JsonObject { ["peer_instance"] = instance }));
        missingConstraint.AssertError(HttpStatusCode.BadRequest, "deployment_creation_error");
        Assert.Equal(
            "dsl_parser.exceptions.ConstraintException: Input 'peer_instance' of type 'node_instance' lacks 'deployment_id' constraint.",
            missingConstraint.Body!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("source", "nope", "Value 'nope' of 'source' is not a valid value for data type 'blueprint_id'.")]
    [InlineData("peer", "nope", "Value 'nope' of 'peer' is not a valid value for data type 'deployment_id'.")]
    [InlineData("peer_node", "web", "Value 'web' of input 'peer_node' does not match any relevant entity or violates at least one of the constraints: deployment_id(prod1) operator.")]
    public async Task Create_Answers400_ForObjectInputs_TheManagerDoesNotHave(string input, string value, string message)
    {
        await using var manager = await StartWithTypedAsync();

        var response = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", Body(new JsonObject { [input] = value }));

        response.AssertError(HttpStatusCode.BadRequest, "deployment_creation_error");
        Assert.Equal($"dsl_parser.exceptions.ConstraintException: {message}", response.Body!["message"]!.GetValue<string>());
        await AssertNothingWrittenAsync(manager, "d1");
    }

    [Fact]
    public async Task Create_LooksObjectsUp_InTheCallersTenantOnly()
    {
        await using var manager = await StartWithTypedAsync();
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");
        await other.UploadValidAsync("typed", Archive(Typed));

        var response = await other.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", Body(new JsonObject { ["source"] = "bp" }));

        response.AssertError(HttpStatusCode.BadRequest, "deployment_creation_error");
        Assert.Contains("Value 'bp' of 'source' is not a valid value", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runtime_only_evaluation", "yes", "runtime_only_evaluation parameter is expected to be of type bool but is of type str")]
    [InlineData("auto_correct_types", 1, "auto_correct_types parameter is expected to be of type bool but is of type int")]
    [InlineData("inputs", "a=1", "inputs parameter is expected to be of type dict but is of type str")]
    public async Task Create_Answers400BadParameters_ForMistypedBodyFields(string field, object value, string message)
    {
        await using var manager = await StartWithTypedAsync();
        var body = Body([]);
        body[field] = JsonValue.Create(value);

        var response = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", body);

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal(message, response.Body!["message"]!.GetValue<string>());
        await AssertNothingWrittenAsync(manager, "d1");
    }

    [Fact]
    public async Task Create_Answers400UnknownInput_AndWritesNothing()
    {
        await using var manager = await StartWithTypedAsync();

        var response = await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d1", Body(new JsonObject { ["colour"] = "red" }));

        response.AssertError(HttpStatusCode.BadRequest, "unknown_deployment_input_error");
        Assert.Equal("Cannot create deployment - unknown inputs: colour", response.Body!["message"]!.GetValue<string>());
        await AssertNothingWrittenAsync(manager, "d1");
    }

    private static async Task AssertNothingWrittenAsync(ManagerFixture manager, string deploymentId)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Client.GetJsonAsync($"/api/v3.1/deployments/{deploymentId}")).Status);
        Assert.Empty((await manager.Client.GetJsonAsync($"/api/v3.1/nodes?deployment_id={deploymentId}")).Body!["items"]!.AsArray());
        var executions = await manager.Client.GetJsonAsync($"/api/v3.1/executions?deployment_id={deploymentId}&_include_system_workflows=true");
        Assert.Empty(executions.Body!["items"]!.AsArray());
    }
}
