using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;
using Stratus.Storage;

namespace Stratus.Server.Tests;

/// <summary>
/// Two managers on one database with different data folders: uploaded files come from the database, and a
/// manager's local copy is a cache that is never served once the database holds another upload.
/// </summary>
public sealed class SharedFilesTests
{
    private const string ScriptPath = "/resources/blueprints/default_tenant/bp/scripts/create.sh";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resources_ServesAFileUploadedToAnotherManager_FromTheDatabase()
    {
        await using var a = await ManagerFixture.StartAsync();
        await using var b = await SecondAsync(a);
        await a.Client.UploadValidAsync("bp");

        var script = await b.Client.GetStringAsync(ScriptPath, Token);

        Assert.Equal("#!/bin/bash\necho created\n", script);
        Assert.True(File.Exists(Path.Combine(b.ResourcesRoot, "blueprints", "default_tenant", "bp", "scripts", "create.sh")), "B's cache holds the file");
    }

    [Fact]
    public async Task Resources_ConcurrentRequestsForAMissingFile_FetchItFromTheDatabaseOnce()
    {
        await using var a = await ManagerFixture.StartAsync();
        var (counting, counter) = CallCountingStore.Wrap(a.Store);
        var dataDir = ManagerFixture.NewDataDir();
        await using var b = await ManagerFixture.StartAsync(
            dataDir: dataDir,
            options: new ManagerOptions { DataDir = dataDir, EncryptionKey = (await File.ReadAllTextAsync(Path.Combine(a.DataDir, "secret.key"), Token)).Trim() },
            overrides: new HostOverrides { Store = counting, RunEngine = false });
        await a.Client.UploadValidAsync("bp");

        var scripts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => b.Client.GetStringAsync(ScriptPath, Token)));

        Assert.All(scripts, s => Assert.Equal("#!/bin/bash\necho created\n", s));
        Assert.Equal(1, counter.Calls(nameof(IStratusStore.CopyResourceFileAsync)));
    }

    [Fact]
    public async Task Resources_ServesTheNewContent_AfterDeleteAndReuploadOnAnotherManager()
    {
        await using var a = await ManagerFixture.StartAsync();
        await using var b = await SecondAsync(a);
        await a.Client.UploadValidAsync("bp");
        Assert.Equal("#!/bin/bash\necho created\n", await b.Client.GetStringAsync(ScriptPath, Token));

        using (var deleted = await b.Client.DeleteAsync("/api/v3.1/blueprints/bp", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await a.Client.UploadValidAsync("bp", Archives.Zip(Changed("echo changed")));

        Assert.Equal("#!/bin/bash\necho changed\n", await b.Client.GetStringAsync(ScriptPath, Token));
        Assert.Equal("#!/bin/bash\necho changed\n", await a.Client.GetStringAsync(ScriptPath, Token));
    }

    [Fact]
    public async Task Resources_Answers404OnAnotherManager_AfterTheBlueprintIsDeleted()
    {
        await using var a = await ManagerFixture.StartAsync();
        await using var b = await SecondAsync(a);
        await a.Client.UploadValidAsync("bp");
        Assert.Equal("#!/bin/bash\necho created\n", await b.Client.GetStringAsync(ScriptPath, Token));

        using (var deleted = await a.Client.DeleteAsync("/api/v3.1/blueprints/bp", Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var response = await b.Client.GetAsync(ScriptPath, Token);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(b.ResourcesRoot, "blueprints", "default_tenant", "bp")), "B dropped its stale copy");
    }

    [Fact]
    public async Task ArchiveDownload_AndBlueprintImport_WorkOnAManagerThatNeverSawTheUpload()
    {
        await using var a = await ManagerFixture.StartAsync();
        await using var b = await SecondAsync(a);
        var archive = Archives.Zip(Archives.ValidBlueprint());
        await a.Client.UploadValidAsync("bp", archive);

        var downloaded = await b.Client.GetByteArrayAsync("/api/v3.1/blueprints/bp/archive", Token);
        Assert.Equal(archive, downloaded);

        var importing = Archives.Zip([
            new("app/", Kind: EntryKind.Directory),
            new("app/blueprint.yaml", """
                tosca_definitions_version: cloudify_dsl_1_4
                imports:
                  - cloudify/types/types.yaml
                  - base--blueprint:bp
                """),
        ]);
        var (status, body) = await b.Client.UploadAsync("app", importing);
        Assert.True(status == HttpStatusCode.Created, $"upload importing blueprint:bp on B: {(int)status} {body?.ToJsonString()}");
        Assert.Equal("#!/bin/bash\necho created\n", await a.Client.GetStringAsync("/resources/blueprints/default_tenant/app/base--scripts/create.sh", Token));
    }

    [Fact]
    public async Task Plugins_WagonAndYamlUploadedToOneManager_AreServedByAnother()
    {
        await using var a = await ManagerFixture.StartAsync();
        await using var b = await SecondAsync(a);
        var wagon = Wagons.Wagon(Wagons.Metadata("shared-plugin", "1.0"));
        var (status, body) = await a.Client.UploadPluginAsync(Wagons.Zip(wagon, ("plugin.yaml", "plugins:\n  shared:\n    executor: central_deployment_agent\n")));
        Assert.True(status == HttpStatusCode.Created, $"plugin upload: {(int)status} {body?.ToJsonString()}");
        var id = body!["id"]!.GetValue<string>();

        Assert.Equal(wagon, await b.Client.GetByteArrayAsync($"/api/v3.1/plugins/{id}/archive", Token));
        Assert.Contains("shared:", await b.Client.GetStringAsync($"/api/v3.1/plugins/{id}/yaml", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ImportsFilesAnOlderVersionKeptOnlyOnDisk()
    {
        await using var a = await ManagerFixture.StartAsync();
        var now = DateTimeOffset.UtcNow;
        await a.Store.InsertBlueprintAsync(
            new Blueprint
            {
                Id = "legacy", TenantName = "default_tenant", CreatedBy = "admin", Visibility = Visibility.Tenant, CreatedAt = now, UpdatedAt = now,
                MainFileName = "blueprint.yaml", State = "uploaded", Plan = [],
            },
            Token);
        var folder = Path.Combine(a.ResourcesRoot, "blueprints", "default_tenant", "legacy", "scripts");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "old.sh"), "echo old\n", Token);

        await using (var restarted = await ManagerFixture.StartAsync(dataDir: a.DataDir, overrides: new HostOverrides { Store = a.Store, RunEngine = false }))
        {
            restarted.KeepData = true;
        }

        var stored = await a.Store.ListResourceFilesAsync(ResourceOwner.Blueprint("default_tenant", "legacy"), Token);
        Assert.Equal("scripts/old.sh", Assert.Single(stored).Path);
        await using var b = await SecondAsync(a);
        Assert.Equal("echo old\n", await b.Client.GetStringAsync("/resources/blueprints/default_tenant/legacy/scripts/old.sh", Token));
    }

    [Fact]
    public async Task Start_Refuses_WhenTheDatabaseRecordsAKeyAndThisManagerHasNone()
    {
        await using var a = await ManagerFixture.StartAsync();
        var dataDir = ManagerFixture.NewDataDir();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SecondAsync(a, dataDir));

        Assert.Contains("STRATUS_ENCRYPTION_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("--encryption-key-file", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDir, "secret.key")), "no fresh key is generated when the database records one");
    }

    [Fact]
    public async Task Start_Refuses_AnotherKey_AndAcceptsTheSameKey()
    {
        await using var a = await ManagerFixture.StartAsync();
        var other = Convert.ToBase64String(Core.Secrets.SecretCipher.NewKey());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SecondAsync(a, key: other));
        Assert.Contains("not the key recorded in the database", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other, error.Message, StringComparison.Ordinal);

        var same = (await File.ReadAllTextAsync(Path.Combine(a.DataDir, "secret.key"), Token)).Trim();
        await using var b = await SecondAsync(a, key: same);
        var created = await b.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/shared", new JsonObject { ["value"] = "s3cret" });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var read = await a.Client.GetJsonAsync("/api/v3.1/secrets/shared");
        Assert.Equal("s3cret", read.Body!["value"]!.GetValue<string>());
    }

    /// <summary>A second manager on <paramref name="first"/>'s database with its own data folder (and the first's key unless told otherwise).</summary>
    private static async Task<ManagerFixture> SecondAsync(ManagerFixture first, string? dataDir = null, string? key = null)
    {
        key ??= dataDir is null ? (await File.ReadAllTextAsync(Path.Combine(first.DataDir, "secret.key"), Token)).Trim() : null;
        dataDir ??= ManagerFixture.NewDataDir();
        return await ManagerFixture.StartAsync(
            dataDir: dataDir,
            options: new ManagerOptions { DataDir = dataDir, EncryptionKey = key },
            overrides: new HostOverrides { Store = first.Store, RunEngine = false });
    }

    private static List<ArchiveEntry> Changed(string line) =>
        [.. Archives.ValidBlueprint().Select(e => e.Name.EndsWith("create.sh", StringComparison.Ordinal) ? e with { Content = $"#!/bin/bash\n{line}\n" } : e)];
}
