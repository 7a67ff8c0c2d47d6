using System.Net;
using System.Text.Json.Nodes;
using Stratus.Archiving;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class BlueprintTests
{
    public static TheoryData<string> Formats() => ["zip", "tar", "tar.gz", "tar.bz2"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Upload_Answers201WithCloudifyFields_ForEachArchiveFormat(string format)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.UploadAsync("bp", Archives.Build(format, Archives.ValidBlueprint()));

        Assert.True(response.Status == HttpStatusCode.Created, $"{format}: {(int)response.Status} {response.Body?.ToJsonString()}");
        WireFiles.AssertSameFields(WireFiles.Body("08-blueprint-upload"), response.Body, "uploaded blueprint");
        Assert.Equal("uploaded", response.Body!["state"]!.GetValue<string>());
        Assert.Equal("Two tiers for the REST tests.", response.Body!["description"]!.GetValue<string>());
        Assert.NotNull(response.Body!["plan"]!["nodes"]);
        Assert.Equal("terminated", response.Body!["upload_execution"]!["status"]!.GetValue<string>());
        Assert.Equal("upload_blueprint", response.Body!["upload_execution"]!["workflow_id"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(manager.ResourcesRoot, "blueprints", "default_tenant", "bp", "blueprint.yaml")));
        Assert.True(File.Exists(Path.Combine(manager.ResourcesRoot, "uploaded-blueprints", "default_tenant", "bp", "bp." + format)));
    }

    [Fact]
    public async Task Upload_AcceptsTheLegacyRawBody_WithQueryArguments()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var entries = Archives.ValidBlueprint().Select(e => e.Name == "bp/blueprint.yaml" ? e with { Name = "bp/main.yaml" } : e);

        var response = await manager.Client.UploadRawAsync("raw", Archives.TarGz(entries), "?application_file_name=main.yaml&visibility=tenant");

        Assert.True(response.Status == HttpStatusCode.Created, $"{(int)response.Status} {response.Body?.ToJsonString()}");
        Assert.Equal("main.yaml", response.Body!["main_file_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_Answers409_WhenTheIdExists()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        var response = await manager.Client.UploadAsync("bp", Archives.Zip(Archives.ValidBlueprint()));

        response.AssertError(HttpStatusCode.Conflict, "conflict_error");
    }

    [Fact]
    public async Task Upload_Answers400InvalidBlueprint_NamingFileLineAndColumn()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var bad = "tosca_definitions_version: cloudify_dsl_1_4\nimports: [cloudify/types/types.yaml]\nnode_templates:\n  a:\n    type: acme.Missing\n";

        var response = await manager.Client.UploadAsync("bad", Archives.Zip([new("bad/blueprint.yaml", bad)]));

        response.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        var message = response.Body!["message"]!.GetValue<string>();
        Assert.StartsWith("Blueprint `bad` is invalid.", message, StringComparison.Ordinal);
        Assert.Contains("blueprint.yaml:5:11", message, StringComparison.Ordinal);
        AssertNothingStored(manager, "bad");
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bad")).Status);
    }

    public static TheoryData<string, ArchiveEntry> Malicious() => new()
    {
        { "zip", new ArchiveEntry("bp/../../escaped.sh", "x") },
        { "tar.gz", new ArchiveEntry("/tmp/stratus-absolute.sh", "x") },
        { "tar", new ArchiveEntry("bp/link", Kind: EntryKind.Symlink, LinkTarget: "/etc/passwd") },
        { "zip", new ArchiveEntry("bp/link", Kind: EntryKind.Symlink, LinkTarget: "/etc/passwd") },
        { "tar.bz2", new ArchiveEntry("bp/hard", Kind: EntryKind.HardLink, LinkTarget: "/etc/passwd") },
    };

    [Theory]
    [MemberData(nameof(Malicious))]
    public async Task Upload_RefusesAMaliciousArchive_LeavingNoRowAndNoFiles(string format, ArchiveEntry evil)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.UploadAsync("evil", Archives.Build(format, [.. Archives.ValidBlueprint(), evil]));

        response.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        AssertNothingStored(manager, "evil");
        Assert.Equal(0, (await manager.Client.GetJsonAsync("/api/v3.1/blueprints")).Body!["metadata"]!["pagination"]!["total"]!.GetValue<int>());
        Assert.False(File.Exists(Path.Combine(manager.DataDir, "escaped.sh")));
    }

    [Fact]
    public async Task Upload_RefusesTooManyEntries_LeavingNoRow()
    {
        await using var manager = await ManagerFixture.StartAsync(options: new ManagerOptions { DataDir = "unused", MaxArchiveEntries = 5 });
        var entries = Archives.ValidBlueprint().Concat(Enumerable.Range(0, 10).Select(i => new ArchiveEntry($"bp/extra{i}.txt", "x")));

        var response = await manager.Client.UploadAsync("many", Archives.Zip(entries));

        response.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        AssertNothingStored(manager, "many");
    }

    [Fact]
    public async Task Upload_Answers413_WhenTheArchiveExceedsTheLimit()
    {
        await using var manager = await ManagerFixture.StartAsync(options: new ManagerOptions { DataDir = "unused", MaxArchiveBytes = 4096 });
        var entries = Archives.ValidBlueprint().Append(new ArchiveEntry("bp/big.bin", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20000))));

        var response = await manager.Client.UploadRawAsync("big", Archives.Tar(entries));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        AssertNothingStored(manager, "big");
    }

    [Fact]
    public async Task Get_Answers404WithCloudifyMessage_ForAMissingBlueprint()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.GetJsonAsync("/api/v3.1/blueprints/nope");

        Assert.True(JsonNode.DeepEquals(WireFiles.Body("11-blueprint-missing"), response.Body), response.Body?.ToJsonString());
    }

    [Fact]
    public async Task Get_ProjectsFields_WithInclude()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");

        var response = await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bp?_include=id,state,main_file_name");

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["id"] = "bp", ["state"] = "uploaded", ["main_file_name"] = "blueprint.yaml" }, response.Body));
    }

    [Fact]
    public async Task Archive_DownloadsTheUploadedBytes()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var archive = Archives.TarGz(Archives.ValidBlueprint());
        await manager.Client.UploadAsync("bp", archive);

        var downloaded = await manager.Client.GetByteArrayAsync("/api/v3.1/blueprints/bp/archive", TestContext.Current.CancellationToken);

        Assert.Equal(archive, downloaded);
    }

    [Fact]
    public async Task Delete_RefusesWhileDeploymentsUseIt_ThenDeletesRowAndFiles()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.Client.CreateDeploymentAsync("bp", "dep");

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/bp");

        refused.AssertError(HttpStatusCode.BadRequest, "dependent_exists_error");
        Assert.Equal(
            "Can't delete blueprint bp - There exist deployments for this blueprint; Deployments ids: dep",
            refused.Body!["message"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/deployments/dep")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/blueprints/bp")).Status);
        AssertNothingStored(manager, "bp");
    }

    [Fact]
    public async Task Validate_ParsesWithoutStoring()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var content = new ByteArrayContent(Archives.Zip(Archives.ValidBlueprint()));

        using var response = await manager.Client.PutAsync("/api/v3.1/blueprints/v/validate", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        AssertNothingStored(manager, "v");
    }

    [Fact]
    public async Task Upload_AcceptsFilesAtTheTop_WithoutAFolder()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var flat = Archives.ValidBlueprint().Where(e => e.Kind == EntryKind.File).Select(e => e with { Name = e.Name["bp/".Length..] });

        var response = await manager.Client.UploadAsync("flat", Archives.Zip(flat));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.True(File.Exists(Path.Combine(manager.ResourcesRoot, "blueprints", "default_tenant", "flat", "scripts", "create.sh")));
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("missing.yaml")]
    public async Task Upload_Answers400_WhenTheMainFileIsNotInTheArchive(string fileName)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.UploadAsync(
            "bp", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["application_file_name"] = fileName });

        response.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        AssertNothingStored(manager, "bp");
    }

    [Theory]
    [InlineData("bad%20id")]
    [InlineData("..")]
    public async Task Upload_Answers400_ForAnIllegalId(string id)
    {
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.UploadAsync(id, Archives.Zip(Archives.ValidBlueprint()));

        Assert.True(response.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.Status} {response.Body?.ToJsonString()}");
        Assert.Empty(Directory.Exists(Path.Combine(manager.ResourcesRoot, "blueprints")) ? Directory.GetDirectories(Path.Combine(manager.ResourcesRoot, "blueprints")) : []);
    }

    [Fact]
    public async Task Upload_Answers400_ForAMalformedMultipartBody_LeavingNothing()
    {
        await using var manager = await ManagerFixture.StartAsync();
        using var content = new ByteArrayContent("--xyz\r\nContent-Disposition: form-data; name=\"blueprint_archive\"; filename=\"a.zip\"\r\n\r\ntruncated"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");

        using var response = await manager.Client.PutAsync("/api/v3.1/blueprints/bp", content, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        (response.StatusCode, body).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        AssertNothingStored(manager, "bp");
    }

    private static void AssertNothingStored(ManagerFixture manager, string id)
    {
        Assert.False(Directory.Exists(Path.Combine(manager.ResourcesRoot, "blueprints", "default_tenant", id)), "no extracted blueprint folder");
        Assert.False(Directory.Exists(Path.Combine(manager.ResourcesRoot, "uploaded-blueprints", "default_tenant", id)), "no stored archive");
        var staging = Path.Combine(manager.ResourcesRoot, "uploaded-blueprints", ".uploading");
        Assert.True(!Directory.Exists(staging) || Directory.GetFileSystemEntries(staging).Length == 0, "no staging leftovers");
    }
}
