using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Execution parameters are converted and checked as Cloudify's merge_workflow_parameters does.</summary>
public sealed class WorkflowParameterTests
{
    /// <summary>The REST tests' blueprint as DSL 1_5, whose types give execute_operation's operation the operation_name type.</summary>
    private static async Task<ManagerFixture> DeployAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        var yaml = Archives.Blueprint.Replace("cloudify_dsl_1_4", "cloudify_dsl_1_5", StringComparison.Ordinal);
        await manager.Client.UploadValidAsync("bp", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml), new("bp/scripts/create.sh", "#!/bin/sh\n")]));
        await manager.Client.CreateDeploymentAsync("bp", "dep");
        return manager;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> StartAsync(ManagerFixture manager, string workflow, JsonObject parameters) =>
        await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject { ["deployment_id"] = "dep", ["workflow_id"] = workflow, ["parameters"] = parameters });

    [Theory]
    [InlineData("uninstall", """{"ignore_failure": "maybe"}""", "Parameter \"ignore_failure\" must be of type boolean")]
    [InlineData("heal", """{"node_instance_id": "nope"}""", "Parameter \"node_instance_id\" does not meet its constraints: Value 'nope' of 'node_instance_id' is not a valid value for data type 'node_instance'.")]
    [InlineData("execute_operation", """{"operation": "cloudify.interfaces.lifecycle.nope"}""", "Parameter \"operation\" does not meet its constraints: Value 'cloudify.interfaces.lifecycle.nope' of 'operation' is not a valid value for data type 'operation_name'.")]
    [InlineData("rollback", """{"full_rollback": "maybe"}""", "Parameter \"full_rollback\" must be of type boolean")]
    [InlineData("heal", """{"allow_reinstall": "perhaps"}""", "Parameter \"allow_reinstall\" must be of type boolean")]
    [InlineData("execute_operation", """{}""", "Workflow \"execute_operation\" must be provided with the following parameters to execute: operation")]
    public async Task Start_Answers400IllegalParameters_LikeCloudify(string workflow, string parameters, string message)
    {
        await using var manager = await DeployAsync();

        var response = await StartAsync(manager, workflow, JsonNode.Parse(parameters)!.AsObject());

        response.AssertError(HttpStatusCode.BadRequest, "illegal_execution_parameters_error");
        Assert.Equal(message, response.Body!["message"]!.GetValue<string>());
    }

    /// <summary>
    /// The manager checks object types only for parameters typed with one (or with constraints): a list of node ids
    /// (<c>type: list, item_type: node_id</c>) is not checked, as in Cloudify's <c>merge_workflow_parameters</c>
    /// (<c>'list' not in OBJECT_BASED_TYPES</c>); the workflow's filter simply matches no instance for an unknown id.
    /// </summary>
    [Theory]
    [InlineData("reinstall", """{"node_ids": ["db", "nope"]}""")]
    [InlineData("rollback", """{"node_instance_ids": ["nope"]}""")]
    [InlineData("check_status", """{"type_names": ["nope.Type"]}""")]
    public async Task Start_AcceptsUnknownIdsInListFilters_LikeCloudify(string workflow, string parameters)
    {
        await using var manager = await DeployAsync();

        var response = await StartAsync(manager, workflow, JsonNode.Parse(parameters)!.AsObject());

        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
    }

    [Fact]
    public async Task Start_ConvertsParameters_AndAcceptsObjectsOfTheDeployment()
    {
        await using var manager = await DeployAsync();

        var response = await StartAsync(
            manager, "execute_operation", new JsonObject { ["operation"] = "cloudify.interfaces.lifecycle.create", ["node_ids"] = new JsonArray("db") });

        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        Assert.Equal("cloudify.interfaces.lifecycle.create", response.Body!["parameters"]!["operation"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_EvaluatesGetCapability_InStructuredParameters()
    {
        await using var manager = await DeployAsync();
        const string shared = """
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            inputs:
              greeting: {default: hi}
            capabilities:
              endpoint: {value: 'https://db.example:5432'}
            """;
        await manager.Client.UploadValidAsync("shared", Archives.Zip([new("s/", Kind: EntryKind.Directory), new("s/blueprint.yaml", shared)]));
        await manager.Client.CreateDeploymentAsync("shared", "shared");

        var response = await StartAsync(
            manager,
            "execute_operation",
            new JsonObject
            {
                ["operation"] = "cloudify.interfaces.lifecycle.create",
                ["operation_kwargs"] = new JsonObject { ["url"] = new JsonObject { ["get_capability"] = new JsonArray("shared", "endpoint") } },
            });

        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        Assert.Equal("https://db.example:5432", response.Body!["parameters"]!["operation_kwargs"]!["url"]!.GetValue<string>());
    }
}
