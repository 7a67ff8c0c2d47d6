using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary><c>ns--blueprint:&lt;id&gt;</c> imports through the REST upload: resolution in the tenant and imported scripts.</summary>
public sealed class BlueprintImportTests
{
    private const string Infra = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports:
          - cloudify/types/types.yaml
        node_types:
          Service:
            derived_from: cloudify.nodes.SoftwareComponent
            interfaces:
              cloudify.interfaces.lifecycle:
                create: scripts/create.sh
        node_templates:
          host:
            type: cloudify.nodes.Compute
            properties:
              agent_config:
                install_method: none
        """;

    private const string App = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports:
          - cloudify/types/types.yaml
          - infra--blueprint:infra
          - ops--ops.yaml
        node_templates:
          app:
            type: infra--Service
            relationships:
              - type: cloudify.relationships.contained_in
                target: infra--host
        """;

    private const string Ops = """
        tosca_definitions_version: cloudify_dsl_1_4
        node_templates:
          probe:
            type: cloudify.nodes.Root
            interfaces:
              cloudify.interfaces.lifecycle:
                start: scripts/probe.sh
        """;

    [Fact]
    public async Task Upload_ResolvesBlueprintImportInTenant_AndRecordsItInThePlan()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("infra", InfraArchive());

        var response = await manager.Client.UploadAsync("app", AppArchive());

        Assert.True(response.Status == HttpStatusCode.Created, $"{(int)response.Status} {response.Body?.ToJsonString()}");
        var plan = response.Body!["plan"]!;
        Assert.Equal("""["infra"]""", plan["imported_blueprints"]!.ToJsonString());
        Assert.Equal("""{"infra":"infra"}""", plan["namespaces_mapping"]!.ToJsonString());
        var app = plan["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "app")!;
        Assert.Equal("infra--Service", app["type"]!.GetValue<string>());
        Assert.Equal("infra--scripts/create.sh", app["operations"]!["cloudify.interfaces.lifecycle.create"]!["inputs"]!["script_path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_ServesImportedScriptsUnderTheirNamespacedPath_FromTheImportingBlueprint()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("infra", InfraArchive());
        await manager.Client.UploadValidAsync("app", AppArchive());

        var imported = await manager.Client.GetStringAsync("/resources/blueprints/default_tenant/app/infra--scripts/create.sh", TestContext.Current.CancellationToken);
        var namespacedFile = await manager.Client.GetStringAsync("/resources/blueprints/default_tenant/app/ops--scripts/probe.sh", TestContext.Current.CancellationToken);

        Assert.Equal("echo infra create\n", imported);
        Assert.Equal("echo probe\n", namespacedFile);
    }

    [Fact]
    public async Task Upload_Answers404_WhenTheImportedBlueprintIsNotUploaded()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.UploadAsync("app", AppArchive());

        response.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Contains("infra", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(manager.ResourcesRoot, "blueprints", "default_tenant", "app")));
    }

    [Fact]
    public async Task Upload_DoesNotResolveAnotherTenantsPrivateBlueprint()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");
        await other.UploadValidAsync("infra", InfraArchive());

        var response = await manager.Client.UploadAsync("app", AppArchive());

        response.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Fact]
    public async Task Upload_ResolvesAGlobalBlueprintOfAnotherTenant()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Store.EnsureTenantAsync("other", TestContext.Current.CancellationToken);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");
        var shared = await other.UploadAsync(
            "infra", InfraArchive(), new JsonObject { ["visibility"] = "global", ["application_file_name"] = "blueprint.yaml" });
        Assert.True(shared.Status == HttpStatusCode.Created, $"{(int)shared.Status} {shared.Body?.ToJsonString()}");

        var response = await manager.Client.UploadAsync("app", AppArchive());

        Assert.True(response.Status == HttpStatusCode.Created, $"{(int)response.Status} {response.Body?.ToJsonString()}");
        var script = await manager.Client.GetStringAsync("/resources/blueprints/default_tenant/app/infra--scripts/create.sh", TestContext.Current.CancellationToken);
        Assert.Equal("echo infra create\n", script);
    }

    [Fact]
    public async Task Upload_Answers400_WhenABlueprintImportHasNoNamespace()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("infra", InfraArchive());
        var main = App.Replace("infra--blueprint:infra", "blueprint:infra", StringComparison.Ordinal);

        var response = await manager.Client.UploadAsync("app", Archives.Zip([new("app/blueprint.yaml", main), new("app/ops.yaml", Ops), new("app/scripts/probe.sh", "echo probe\n")]));

        response.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
    }

    [Fact]
    public async Task Delete_Answers405BlueprintInUse_WhileAnotherBlueprintImportsIt_UnlessForced()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("infra", InfraArchive());
        await manager.Client.UploadValidAsync("app", AppArchive());

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/infra");
        var forced = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/infra?force=true");

        refused.AssertError(HttpStatusCode.MethodNotAllowed, "blueprint_in_use");
        Assert.Equal(HttpStatusCode.NoContent, forced.Status);
        var script = await manager.Client.GetStringAsync("/resources/blueprints/default_tenant/app/infra--scripts/create.sh", TestContext.Current.CancellationToken);
        Assert.Equal("echo infra create\n", script);
    }

    private static byte[] InfraArchive() => Archives.Zip(
    [
        new("infra/blueprint.yaml", Infra),
        new("infra/scripts/create.sh", "echo infra create\n"),
    ]);

    private static byte[] AppArchive() => Archives.Zip(
    [
        new("app/blueprint.yaml", App),
        new("app/ops.yaml", Ops),
        new("app/scripts/probe.sh", "echo probe\n"),
    ]);
}
