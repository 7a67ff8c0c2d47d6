using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Deployment labels: creation (request and plan), PATCH replacement, the csys-obj-parent graph and its errors.</summary>
public sealed class DeploymentLabelTests
{
    private const string Labelled = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        inputs:
          tier: {default: Web}
        labels:
          Tier:
            values: [{get_input: tier}, {concat: [app, '-', {get_input: tier}]}]
          csys-obj-type:
            values: [Environment]
        """;

    private const string Plain = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        """;

    private static async Task<ManagerFixture> StartAsync()
    {
        var manager = await ManagerFixture.StartAsync();
        foreach (var (id, yaml) in new[] { ("labelled", Labelled), ("plain", Plain) })
        {
            await manager.Client.UploadValidAsync(id, Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]));
        }

        return manager;
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> CreateAsync(ManagerFixture manager, string id, string blueprint, params JsonObject[] labels) =>
        manager.Client.SendAsync(
            HttpMethod.Put, $"/api/v3.1/deployments/{id}", new JsonObject { ["blueprint_id"] = blueprint, ["labels"] = new JsonArray(labels) });

    private static Task<(HttpStatusCode Status, JsonNode? Body)> PatchAsync(ManagerFixture manager, string id, params JsonObject[] labels) =>
        manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/deployments/{id}", new JsonObject { ["labels"] = new JsonArray(labels) });

    private static async Task<string[]> LabelsOfAsync(ManagerFixture manager, string id)
    {
        var got = await manager.Client.GetJsonAsync($"/api/v3.1/deployments/{id}");
        Assert.Equal(HttpStatusCode.OK, got.Status);
        return Pairs(got.Body!["labels"]);
    }

    private static string[] Pairs(JsonNode? labels) =>
        [.. labels!.AsArray().Select(l => $"{l!["key"]}={l["value"]}").Order(StringComparer.Ordinal)];

    private static JsonObject L(string key, JsonNode? value) => new() { [key] = value };

    [Fact]
    public async Task Create_StoresRequestAndPlanLabels_LowerCasingKeys_AndRendersThemAsCloudify()
    {
        await using var manager = await StartAsync();

        var created = await CreateAsync(manager, "dep", "labelled", L("Owner", "ops"), L("region", new JsonArray("eu", "us")));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(
            ["csys-obj-type=environment", "owner=ops", "region=eu", "region=us", "tier=Web", "tier=app-Web"],
            Pairs(created.Body!["labels"]));
        var first = created.Body!["labels"]![0]!.AsObject();
        Assert.Equal(["created_at", "created_by", "key", "value"], first.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("admin", first["created_by"]!.GetValue<string>());
        Assert.Equal(created.Body!["created_at"]!.GetValue<string>(), first["created_at"]!.GetValue<string>());
        Assert.Equal(Pairs(created.Body!["labels"]), await LabelsOfAsync(manager, "dep"));
    }

    [Theory]
    [InlineData("""[{"bad key": "v"}]""", "The key `bad key` contains illegal characters. Only letters, digits and the characters `-`, `.` and `_` are allowed")]
    [InlineData("""[{"k": "say \"hi\""}]""", "The value `say \"hi\"` contains illegal characters. Control characters and `\"` are not allowed.")]
    [InlineData("""[{"csys-colour": "red"}]""", "All labels with a `csys-` prefix are reserved for internal use.")]
    [InlineData("""[{"a": "1", "b": "2"}]""", "Labels must be a list of 1-entry dictionaries")]
    [InlineData("""[{"a": 1}]""", "Labels must be a list of 1-entry dictionaries")]
    [InlineData("""{"a": "1"}""", "Labels must be a list of 1-entry dictionaries")]
    [InlineData("""[{"A": "1"}, {"a": "1"}]""", "You cannot define the same label twice")]
    [InlineData("""[{"csys-location-lat": "91"}]""", "Invalid latitude `91`. Must be a number between -90 and 90")]
    public async Task Create_RefusesBadLabels_WithBadParameters_AndCreatesNothing(string labels, string message)
    {
        await using var manager = await StartAsync();

        var response = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/dep", new JsonObject { ["blueprint_id"] = "plain", ["labels"] = JsonNode.Parse(labels) });

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.StartsWith(message, response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (await manager.Client.GetJsonAsync("/api/v3.1/deployments/dep")).AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task Create_UnderAParent_LabelsTheParentWithItsConsumer_AndAMissingParentIs404()
    {
        await using var manager = await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, "env", "plain")).Status);

        var child = await CreateAsync(manager, "svc", "plain", L("csys-obj-parent", "env"));
        var orphan = await CreateAsync(manager, "lost", "plain", L("csys-obj-parent", "nowhere"));

        Assert.Equal(HttpStatusCode.Created, child.Status);
        Assert.Equal(["csys-consumer-id=svc"], await LabelsOfAsync(manager, "env"));
        orphan.AssertError(HttpStatusCode.NotFound, "deployment_parent_not_found_error");
        Assert.Equal("Environment referenced by `csys-obj-parent` not found: nowhere", orphan.Body!["message"]!.GetValue<string>());
        (await manager.Client.GetJsonAsync("/api/v3.1/deployments/lost")).AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task Patch_ReplacesTheLabels_MovesTheChild_AndRefusesACycle()
    {
        await using var manager = await StartAsync();
        foreach (var id in new[] { "env1", "env2" })
        {
            Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, id, "plain")).Status);
        }

        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, "svc", "plain", L("csys-obj-parent", "env1"), L("tier", "web"))).Status);

        var patched = await PatchAsync(manager, "svc", L("csys-obj-parent", "env2"), L("Tier", new JsonArray("web", "db")));
        var cycle = await PatchAsync(manager, "env2", L("csys-obj-parent", "svc"));
        var empty = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/deployments/svc", new JsonObject());
        var ghost = await PatchAsync(manager, "ghost", L("a", "b"));

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(["csys-obj-parent=env2", "tier=db", "tier=web"], Pairs(patched.Body!["labels"]));
        Assert.Empty(await LabelsOfAsync(manager, "env1"));
        Assert.Equal(["csys-consumer-id=svc"], await LabelsOfAsync(manager, "env2"));
        cycle.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal("cyclic dependencies: env2", cycle.Body!["message"]!.GetValue<string>());
        Assert.Equal(["csys-consumer-id=svc"], await LabelsOfAsync(manager, "env2"));
        empty.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
        ghost.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task Delete_OfAParentWithChildren_IsRefusedUnlessForced_AndAChildsDeleteClearsItsConsumerLabel()
    {
        await using var manager = await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, "env", "plain")).Status);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, "svc", "plain", L("csys-obj-parent", "env"))).Status);

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/env");
        var child = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/svc");

        refused.AssertError(HttpStatusCode.BadRequest, "dependent_exists_error");
        Assert.Equal(
            "Can't delete deployment env - the following existing installations depend on it:\n[1] Deployment `env` is the parent of deployment svc",
            refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, child.Status);
        Assert.Empty(await LabelsOfAsync(manager, "env"));
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/env")).Status);
    }

    [Fact]
    public async Task LabelLists_GiveKeysValuesAndReservedKeys_InCloudifysListShape()
    {
        await using var manager = await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, "a", "plain", L("env", "prod"), L("tier", "web"))).Status);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(manager, "b", "plain", L("env", new JsonArray("dev", "prod")))).Status);

        var keys = await manager.Client.GetJsonAsync("/api/v3.1/labels/deployments");
        var values = await manager.Client.GetJsonAsync("/api/v3.1/labels/deployments/env?_size=1&_offset=1");
        var reserved = await manager.Client.GetJsonAsync("/api/v3.1/labels/deployments?_reserved=true");
        var searched = await manager.Client.GetJsonAsync("/api/v3.1/labels/deployments?_search=ie");
        var blueprints = await manager.Client.GetJsonAsync("/api/v3.1/labels/blueprints");
        var badKey = await manager.Client.GetJsonAsync("/api/v3.1/labels/deployments/1env");

        Assert.Equal("""{"items":["env","tier"],"metadata":{"pagination":{"total":2,"size":1000,"offset":0},"filtered":null}}""", keys.Body!.ToJsonString());
        Assert.Equal("""{"items":["prod"],"metadata":{"pagination":{"total":2,"size":1,"offset":1},"filtered":null}}""", values.Body!.ToJsonString());
        Assert.Equal(11, reserved.Body!["items"]!.AsArray().Count);
        Assert.Contains("csys-obj-parent", reserved.Body!["items"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("""["tier"]""", searched.Body!["items"]!.ToJsonString());
        Assert.Equal("[]", blueprints.Body!["items"]!.ToJsonString());
        badKey.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("The `label_key` argument must begin with a letter", badKey.Body!["message"]!.GetValue<string>());
    }
}
