using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary><c>get_label</c>, <c>get_consumers</c> and <c>get_environment_capability</c>, answered from stored labels.</summary>
public sealed class LabelFunctionTests
{
    private const string Environment = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        capabilities:
          network: {value: {cidr: 10.0.0.0/24, gateway: {get_sys: [deployment, id]}}}
        outputs:
          consumer_ids: {value: {get_consumers: ids}}
          consumer_names: {value: {get_consumers: names}}
          consumer_count: {value: {get_consumers: count}}
        """;

    private const string Service = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        labels:
          tier:
            values: [web, app]
        outputs:
          tiers: {value: {get_label: tier}}
          second: {value: {get_label: [tier, '1']}}
          cidr: {value: {get_environment_capability: [network, cidr]}}
          network: {value: {get_environment_capability: network}}
        """;

    private static async Task<ManagerFixture> StartAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        foreach (var (id, yaml) in new[] { ("environment", Environment), ("service", Service) })
        {
            await manager.Client.UploadValidAsync(id, Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]));
        }

        await CreateAsync(manager, "env", "environment", null);
        await CreateAsync(manager, "svc", "service", "Service One", new JsonObject { ["csys-obj-parent"] = "env" });
        return manager;
    }

    private static async Task CreateAsync(ManagerFixture manager, string id, string blueprint, string? displayName, params JsonObject[] labels)
    {
        var body = new JsonObject { ["blueprint_id"] = blueprint, ["labels"] = new JsonArray(labels) };
        if (displayName is not null)
        {
            body["display_name"] = displayName;
        }

        var created = await manager.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/deployments/{id}", body);
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> EvaluateAsync(ManagerFixture manager, string deployment, JsonNode function) =>
        manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = deployment, ["payload"] = new JsonObject { ["x"] = function } });

    [Fact]
    public async Task Outputs_ReadLabels_AndTheEnvironmentsCapabilities()
    {
        await using var manager = await StartAsync();

        var outputs = await manager.Client.GetJsonAsync("/api/v3.1/deployments/svc/outputs");

        Assert.Equal(HttpStatusCode.OK, outputs.Status);
        Assert.Equal(
            """{"tiers":["app","web"],"second":"web","cidr":"10.0.0.0/24","network":{"cidr":"10.0.0.0/24","gateway":"env"}}""",
            outputs.Body!["outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task Outputs_ListTheConsumers_ByIdNameAndCount_AndForgetADeletedOne()
    {
        await using var manager = await StartAsync();

        var before = await manager.Client.GetJsonAsync("/api/v3.1/deployments/env/outputs");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/svc")).Status);
        var after = await manager.Client.GetJsonAsync("/api/v3.1/deployments/env/outputs");

        Assert.Equal("""{"consumer_ids":["svc"],"consumer_names":["Service One"],"consumer_count":1}""", before.Body!["outputs"]!.ToJsonString());
        Assert.Equal("""{"consumer_ids":[],"consumer_names":[],"consumer_count":0}""", after.Body!["outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task EvaluateFunctions_ReportsAMissingKey_AnIndexOutOfRange_AndAMissingEnvironment()
    {
        await using var manager = await StartAsync();

        var missing = await EvaluateAsync(manager, "svc", new JsonObject { ["get_label"] = "colour" });
        var range = await EvaluateAsync(manager, "svc", new JsonObject { ["get_label"] = new JsonArray("tier", 2) });
        var noParent = await EvaluateAsync(manager, "env", new JsonObject { ["get_environment_capability"] = "network" });
        var found = await EvaluateAsync(manager, "svc", new JsonObject { ["get_label"] = new JsonArray("csys-obj-parent", 0) });

        missing.AssertError(HttpStatusCode.BadRequest, "functions_evaluation_error");
        Assert.Equal("The deployment `svc` does not have a label with the key `colour` assigned to it", missing.Body!["message"]!.GetValue<string>());
        range.AssertError(HttpStatusCode.BadRequest, "functions_evaluation_error");
        Assert.Equal("The provided label-values list index is out of range. The key `tier` has 2 values", range.Body!["message"]!.GetValue<string>());
        noParent.AssertError(HttpStatusCode.BadRequest, "functions_evaluation_error");
        Assert.Equal(
            "The deployment `env` does not have a label with the key `csys-obj-parent` assigned to it", noParent.Body!["message"]!.GetValue<string>());
        Assert.Equal("env", found.Body!["payload"]!["x"]!.GetValue<string>());
    }

    [Fact]
    public async Task EvaluateFunctions_SeesLabelsChangedByPatch()
    {
        await using var manager = await StartAsync();

        var patched = await manager.Client.SendAsync(
            HttpMethod.Patch, "/api/v3.1/deployments/svc", new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["tier"] = "db" }) });
        var tiers = await EvaluateAsync(manager, "svc", new JsonObject { ["get_label"] = "tier" });
        var consumers = await EvaluateAsync(manager, "env", new JsonObject { ["get_consumers"] = "count" });

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("""["db"]""", tiers.Body!["payload"]!["x"]!.ToJsonString());
        Assert.Equal(0, consumers.Body!["payload"]!["x"]!.GetValue<int>());
    }
}
