using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>Cloudify's tenant rules of <c>/resources</c>, and traversal attempts however encoded.</summary>
public sealed class FileServerTenantTests
{
    private const string Outside = "TOP-SECRET-OUTSIDE-THE-ROOT";
    private const string OtherTenant = "OTHER-TENANT-FILE";

    public static TheoryData<string> Traversals =>
    [
        "/resources/blueprints/default_tenant/bp/../../../../outside.txt",
        "/resources/blueprints/default_tenant/bp/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside.txt",
        "/resources/blueprints/default_tenant/bp/%2E%2E/%2E%2E/%2E%2E/%2E%2E/stratus.db",
        "/resources/blueprints/default_tenant/bp/%252e%252e/%252e%252e/%252e%252e/%252e%252e/outside.txt",
        "/resources/blueprints/default_tenant/bp/..%2f..%2f..%2f..%2foutside.txt",
        "/resources/blueprints/default_tenant/bp/..%252f..%252f..%252f..%252foutside.txt",
        "/resources/blueprints/default_tenant/bp/..%5c..%5c..%5c..%5coutside.txt",
        "/resources/blueprints/default_tenant/bp/..\\..\\..\\..\\outside.txt",
        "/resources/blueprints/default_tenant/bp/%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/outside.txt",
        "/resources/blueprints/default_tenant/bp/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/outside.txt",
        "/resources/blueprints/default_tenant/bp/%e2%80%a4%e2%80%a4/%e2%80%a4%e2%80%a4/%e2%80%a4%e2%80%a4/%e2%80%a4%e2%80%a4/outside.txt",
        "/resources//..//..//outside.txt",
        "/resources/%2f..%2f..%2foutside.txt",
        "/resources/%2ftmp%2foutside.txt",
        "/resources/blueprints//default_tenant//bp//..//..//..//..//outside.txt",
        "/resources/blueprints/default_tenant/bp/blueprint.yaml%00.txt",
        "/resources/blueprints/default_tenant/bp/%00/../../../../outside.txt",
        "/resources/blueprints/default_tenant/../other/bp/secret.txt",
        "/resources/blueprints/default_tenant/bp/%2e%2e/%2e%2e/other/bp/secret.txt",
        "/resources/blueprints/default_tenant%2f..%2fother/bp/secret.txt",
        "/resources/blueprints/default_tenant/..%2fother/bp/secret.txt",
        "/resources/blueprints/./other/bp/secret.txt",
        "/resources/blueprints/other/bp/secret.txt",
        "/resources/blueprints/other/bp/../bp/secret.txt",
        "/resources/BLUEPRINTS/other/bp/secret.txt",
        "/resources/blueprints/default_tenant/bp/link/outside.txt",
        "/resources/blueprints/default_tenant/bp/outside-link",
        "/resources/uploaded-blueprints/.uploading/x/secret.txt",
        "/resources/../outside.txt",
        "http://localhost/resources/../outside.txt",
    ];

    [Theory]
    [MemberData(nameof(Traversals))]
    public async Task Resources_NeverServeOutsideTheRootNorAnotherTenant(string target)
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("bp");
        await manager.AddTenantAsync("other");
        using var _ = await manager.MemberAsync("ursula", "user");
        await File.WriteAllTextAsync(Path.Combine(manager.DataDir, "outside.txt"), Outside, TestContext.Current.CancellationToken);
        var otherBlueprint = Path.Combine(manager.ResourcesRoot, "blueprints", "other", "bp");
        Directory.CreateDirectory(otherBlueprint);
        await File.WriteAllTextAsync(Path.Combine(otherBlueprint, "secret.txt"), OtherTenant, TestContext.Current.CancellationToken);
        var staging = Path.Combine(manager.ResourcesRoot, "uploaded-blueprints", ".uploading", "x");
        Directory.CreateDirectory(staging);
        await File.WriteAllTextAsync(Path.Combine(staging, "secret.txt"), OtherTenant, TestContext.Current.CancellationToken);
        var own = Path.Combine(manager.ResourcesRoot, "blueprints", "default_tenant", "bp");
        Directory.CreateSymbolicLink(Path.Combine(own, "link"), manager.DataDir);
        File.CreateSymbolicLink(Path.Combine(own, "outside-link"), Path.Combine(manager.DataDir, "outside.txt"));

        var (status, body) = await RawHttp.GetAsync(manager.BaseAddress, target, "ursula", "ursula-pass");

        Assert.True(status is >= 400 and < 500, $"{target}: {status} {body}");
        Assert.DoesNotContain(Outside, body, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherTenant, body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
        var sanity = await RawHttp.GetAsync(manager.BaseAddress, "/resources/blueprints/default_tenant/bp/scripts/create.sh", "ursula", "ursula-pass");
        Assert.Equal((200, "#!/bin/bash\necho created\n"), sanity);
    }

    [Theory]
    [InlineData("blueprints")]
    [InlineData("uploaded-blueprints")]
    [InlineData("deployments")]
    [InlineData("tenant-resources")]
    public async Task TenantFolders_AreReadableOnlyWithARoleInTheirTenant(string folder)
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("other");
        using var inOther = await manager.MemberAsync("olive", "viewer", tenant: "other");
        using var here = await manager.MemberAsync("hank", "user");
        using var headerOther = manager.CreateClient("hank", "hank-pass", "other");
        await manager.GrantAsync("olive", "default_tenant", "viewer");
        using var oliveHere = manager.CreateClient("olive", "olive-pass", "default_tenant");
        await SeedAsync(manager, folder);
        var path = $"/resources/{folder}/other/r1/f.txt";

        var stranger = await here.GetJsonAsync(path);
        var strangerWithHeader = await headerOther.GetJsonAsync(path);
        var memberOfBoth = await oliveHere.GetStringAsync(path, TestContext.Current.CancellationToken);
        var member = await inOther.GetStringAsync(path, TestContext.Current.CancellationToken);

        stranger.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal($"User `hank` is not permitted to perform the action file_server_auth in the tenant `other`", stranger.Body!["message"]!.GetValue<string>());
        strangerWithHeader.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        Assert.Equal(OtherTenant, memberOfBoth);
        Assert.Equal(OtherTenant, member);
    }

    /// <summary>
    /// A file <c>f.txt</c> of resource <c>r1</c> in tenant <c>other</c>: stored with its row for the folders whose files
    /// live in the database, written to the folder for the others.
    /// </summary>
    private static async Task SeedAsync(ManagerFixture manager, string folder)
    {
        var token = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        var blueprint = new Core.Model.Blueprint
        {
            Id = "r1", TenantName = "other", CreatedBy = "admin", CreatedAt = now, UpdatedAt = now, MainFileName = "blueprint.yaml", Plan = [], State = "uploaded",
        };
        var files = new Storage.ResourceFileSet(
            new Storage.ResourceOwner("other", folder, "r1"), "g1", [new Storage.ResourceFileSource("f.txt", () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(OtherTenant)))]);
        switch (folder)
        {
            case "blueprints" or "uploaded-blueprints":
                await manager.Store.InsertBlueprintAsync(blueprint, [files], token);
                break;
            case "deployments":
                await manager.Store.InsertBlueprintAsync(blueprint, token);
                await manager.Store.InsertDeploymentAsync(
                    new Core.Model.Deployment { Id = "r1", TenantName = "other", CreatedBy = "admin", CreatedAt = now, UpdatedAt = now, BlueprintId = "r1", DisplayName = "r1" },
                    [],
                    [],
                    token);
                Assert.True(await manager.Store.ImportResourceFilesAsync(files, token));
                break;
            default:
                var file = Path.Combine(manager.ResourcesRoot, folder, "other", "r1", "f.txt");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, OtherTenant, token);
                break;
        }
    }

    [Fact]
    public async Task GlobalBlueprintFiles_AreReadableFromEveryTenant_PrivateOnesOnlyByTheirCreator()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.AddTenantAsync("other");
        using var outsider = await manager.MemberAsync("otto", "viewer", tenant: "other");
        using var alice = await manager.MemberAsync("alice", "user");
        using var bob = await manager.MemberAsync("bob", "user");
        await manager.Client.UploadAsync("shared", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["visibility"] = "global" });
        var mine = await alice.UploadAsync("mine", Archives.Zip(Archives.ValidBlueprint()), new JsonObject { ["visibility"] = "private" });
        Assert.Equal(HttpStatusCode.Created, mine.Status);

        var global = await outsider.GetStringAsync("/resources/blueprints/default_tenant/shared/scripts/create.sh", TestContext.Current.CancellationToken);
        var globalArchive = await outsider.GetAsync("/resources/uploaded-blueprints/default_tenant/shared/shared.zip", TestContext.Current.CancellationToken);
        var byCreator = await alice.GetStringAsync("/resources/blueprints/default_tenant/mine/scripts/create.sh", TestContext.Current.CancellationToken);
        var byOther = await bob.GetJsonAsync("/resources/blueprints/default_tenant/mine/scripts/create.sh");

        Assert.Equal("#!/bin/bash\necho created\n", global);
        Assert.Equal(HttpStatusCode.OK, globalArchive.StatusCode);
        Assert.Equal("#!/bin/bash\necho created\n", byCreator);
        byOther.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }
}
