using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Blueprint labels: the upload's <c>labels</c> parameter, or else the plan's <c>blueprint_labels</c>.</summary>
public sealed class BlueprintLabelTests
{
    private const string Yaml = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        blueprint_labels:
          Arch:
            values: [x86, arm]
        """;

    private static byte[] Archive() => Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", Yaml)]);

    private static JsonObject Params(JsonArray? labels) => new()
    {
        ["visibility"] = "tenant",
        ["application_file_name"] = "blueprint.yaml",
        ["labels"] = labels,
    };

    private static string[] Pairs(JsonNode? labels) =>
        [.. labels!.AsArray().Select(l => $"{l!["key"]}={l["value"]}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Upload_WithoutLabels_TakesThePlansBlueprintLabels()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var uploaded = await manager.Client.UploadAsync("bp", Archive());
        var got = await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bp");
        var keys = await manager.Client.GetJsonAsync("/api/v3.1/labels/blueprints");
        var values = await manager.Client.GetJsonAsync("/api/v3.1/labels/blueprints/arch");

        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        Assert.Equal(["arch=arm", "arch=x86"], Pairs(uploaded.Body!["labels"]));
        Assert.Equal(["arch=arm", "arch=x86"], Pairs(got.Body!["labels"]));
        Assert.Equal("admin", got.Body!["labels"]![0]!["created_by"]!.GetValue<string>());
        Assert.Equal("""["arch"]""", keys.Body!["items"]!.ToJsonString());
        Assert.Equal("""["arm","x86"]""", values.Body!["items"]!.ToJsonString());
    }

    [Fact]
    public async Task Upload_WithLabels_UsesThoseInsteadOfThePlans()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var uploaded = await manager.Client.UploadAsync(
            "bp", Archive(), Params([new JsonObject { ["key"] = "Team", ["value"] = "core" }, new JsonObject { ["key"] = "tier", ["value"] = "db" }]));

        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        Assert.Equal(["team=core", "tier=db"], Pairs((await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bp")).Body!["labels"]));
    }

    [Fact]
    public async Task Upload_WithABadLabel_IsRefused_AndLeavesNoBlueprint()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var reserved = await manager.Client.UploadAsync("bp", Archive(), Params([new JsonObject { ["key"] = "csys-nope", ["value"] = "x" }]));
        var shape = await manager.Client.UploadAsync("bp", Archive(), Params([new JsonObject { ["k"] = "v" }]));

        reserved.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.StartsWith("All labels with a `csys-` prefix are reserved", reserved.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        shape.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        (await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bp")).AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task Patch_ReplacesTheLabels_InEitherOfCloudifysForms_AndRefusesOtherFields()
    {
        await using var manager = await ManagerFixture.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await manager.Client.UploadAsync("bp", Archive())).Status);

        var cliForm = await manager.Client.SendAsync(
            HttpMethod.Patch, "/api/v3.1/blueprints/bp", new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["arch"] = "arm" }, new JsonObject { ["Os"] = "linux" }) });
        var workflowForm = await manager.Client.SendAsync(
            HttpMethod.Patch, "/api/v3.1/blueprints/bp", new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["key"] = "os", ["value"] = "linux" }) });
        var other = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/blueprints/bp", new JsonObject { ["description"] = "x" });
        var unknown = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/blueprints/bp", new JsonObject { ["colour"] = "x" });
        var ghost = await manager.Client.SendAsync(HttpMethod.Patch, "/api/v3.1/blueprints/ghost", new JsonObject { ["labels"] = new JsonArray() });

        Assert.Equal(HttpStatusCode.OK, cliForm.Status);
        Assert.Equal(["arch=arm", "os=linux"], Pairs(cliForm.Body!["labels"]));
        Assert.Equal(["os=linux"], Pairs(workflowForm.Body!["labels"]));
        other.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        unknown.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Unknown parameters: colour", unknown.Body!["message"]!.GetValue<string>());
        ghost.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal(["os=linux"], Pairs((await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bp")).Body!["labels"]));
    }
}
