using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class PluginTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_StoresWagonAndYaml_AndRendersCloudifysFields()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var plugin = await manager.Client.UploadValidPluginAsync(query: "?title=Acme&visibility=tenant");

        var id = plugin["id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("acme-plugin", plugin["package_name"]!.GetValue<string>());
        Assert.Equal("1.2.0", plugin["package_version"]!.GetValue<string>());
        Assert.Equal("rhel", plugin["distribution"]!.GetValue<string>());
        Assert.Equal("ootpa", plugin["distribution_release"]!.GetValue<string>());
        Assert.Equal("Acme", plugin["title"]!.GetValue<string>());
        Assert.Equal("[\"py311\"]", plugin["supported_py_versions"]!.ToJsonString());
        Assert.Equal("{\"arch\":[\"docker\",\"k8s\"]}", plugin["blueprint_labels"]!.ToJsonString());
        Assert.Equal("{\"owner\":\"acme\"}", plugin["resource_tags"]!.ToJsonString());
        Assert.Equal($"[\"plugins/{id}/plugin.yaml\"]", plugin["yaml_files_paths"]!.ToJsonString());
        Assert.Equal("plugin:acme-plugin?version=1.2.0&distribution=rhel", plugin["yaml_url_path"]!.GetValue<string>());
        Assert.Equal("default_tenant", plugin["tenant_name"]!.GetValue<string>());
        Assert.Empty(plugin["installation_state"]!.AsArray());
        var archiveName = plugin["archive_name"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(manager.ResourcesRoot, "plugins", id, archiveName)));
        Assert.Equal(Wagons.PluginYaml, await File.ReadAllTextAsync(Path.Combine(manager.ResourcesRoot, "plugins", id, "plugin.yaml"), Token));
        var get = await manager.Client.GetJsonAsync($"/api/v3.1/plugins/{id}");
        Assert.Equal(plugin.ToJsonString(), get.Body!.ToJsonString());
    }

    [Fact]
    public async Task Upload_AcceptsABareWagon_WithIdTitleDefaultAndNoYaml()
    {
        await using var manager = await ManagerFixture.StartAsync();

        var plugin = await manager.Client.UploadValidPluginAsync(Wagons.Wagon(), "?id=my-plugin");

        Assert.Equal("my-plugin", plugin["id"]!.GetValue<string>());
        Assert.Equal("acme-plugin", plugin["title"]!.GetValue<string>());
        Assert.Empty(plugin["yaml_files_paths"]!.AsArray());
        Assert.Equal("", plugin["yaml_url_path"]!.GetValue<string>());
        var yaml = await manager.Client.GetJsonAsync("/api/v3.1/plugins/my-plugin/yaml");
        yaml.AssertError(HttpStatusCode.NotFound, "not_found_error");
    }

    [Theory]
    [InlineData("not an archive at all")]
    [InlineData("zip-without-wagon")]
    [InlineData("zip-with-two-wagons")]
    [InlineData("wagon-without-package-json")]
    [InlineData("wagon-with-bad-json")]
    [InlineData("zip-with-traversal")]
    [InlineData("bad-yaml")]
    [InlineData("bad-labels")]
    [InlineData("archive-name-with-path")]
    public async Task Upload_Refuses400InvalidPlugin_AndLeavesNothing_WhenInputIsBad(string kind)
    {
        await using var manager = await ManagerFixture.StartAsync();
        var body = kind switch
        {
            "zip-without-wagon" => Archives.Zip([new("plugin.yaml", Wagons.PluginYaml)]),
            "zip-with-two-wagons" => Archives.Zip([new("a.wgn", "x"), new("b.wgn", "y")]),
            "wagon-without-package-json" => Wagons.Zip(Archives.TarGz([new("w/readme.txt", "hi")])),
            "wagon-with-bad-json" => Wagons.Zip(Archives.TarGz([new("w/package.json", "{not json")])),
            "zip-with-traversal" => Archives.Zip([new("../evil.wgn", "x")]),
            "bad-yaml" => Wagons.Zip(Wagons.Wagon(), ("plugin.yaml", "plugins: [unclosed")),
            "bad-labels" => Wagons.Zip(Wagons.Wagon(), ("plugin.yaml", "blueprint_labels:\n  arch: [x]\n")),
            "archive-name-with-path" => Wagons.Wagon(WithArchiveName("../../escape.wgn")),
            _ => "not an archive at all"u8.ToArray(),
        };

        var response = await manager.Client.UploadPluginAsync(body);

        response.AssertError(HttpStatusCode.BadRequest, "invalid_plugin_error");
        var list = await manager.Client.GetJsonAsync("/api/v3.1/plugins");
        Assert.Empty(list.Body!["items"]!.AsArray());
        var plugins = Path.Combine(manager.ResourcesRoot, "plugins");
        Assert.False(Directory.Exists(plugins) && Directory.EnumerateFileSystemEntries(plugins).Any(), "no plugin folder is left behind");
    }

    [Fact]
    public async Task Upload_Refuses409_WhenSamePackageUploadedTwice_ButAcceptsAnotherVersion()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidPluginAsync();

        var again = await manager.Client.UploadPluginAsync(Wagons.StandardZip());
        var newer = await manager.Client.UploadPluginAsync(Wagons.StandardZip(Wagons.Metadata(version: "1.3.0")));

        again.AssertError(HttpStatusCode.Conflict, "conflict_error");
        Assert.Equal(HttpStatusCode.Created, newer.Status);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(manager.ResourcesRoot, "plugins")).Length);
    }

    [Fact]
    public async Task Upload_Refuses_BadQueryArguments()
    {
        await using var manager = await ManagerFixture.StartAsync();

        (await manager.Client.UploadPluginAsync(Wagons.StandardZip(), "?visibility=everyone")).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        (await manager.Client.UploadPluginAsync(Wagons.StandardZip(), "?id=a%2Fb")).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        (await manager.Client.UploadPluginAsync(Wagons.StandardZip(), "?id=..")).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        (await manager.Client.UploadPluginAsync(Wagons.StandardZip(), "?created_by=nobody")).AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        (await manager.Client.UploadPluginAsync([])).AssertError(HttpStatusCode.BadRequest, "upload_missing_file");
    }

    [Fact]
    public async Task List_SearchesPackageName_FiltersSortsAndPages()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidPluginAsync(Wagons.StandardZip(Wagons.Metadata("acme-plugin", "1.0")));
        await manager.Client.UploadValidPluginAsync(Wagons.StandardZip(Wagons.Metadata("acme-plugin", "2.0")));
        await manager.Client.UploadValidPluginAsync(Wagons.StandardZip(Wagons.Metadata("other-plugin", "1.0")));

        var search = await manager.Client.GetJsonAsync("/api/v3.1/plugins?_search=acme&_sort=-package_version&_include=id,package_version");
        var filter = await manager.Client.GetJsonAsync("/api/v3.1/plugins?package_name=other-plugin");
        var page = await manager.Client.GetJsonAsync("/api/v3.1/plugins?_size=1&_offset=1");
        var bad = await manager.Client.GetJsonAsync("/api/v3.1/plugins?wheels=x");

        Assert.Equal(["2.0", "1.0"], search.Body!["items"]!.AsArray().Select(i => i!["package_version"]!.GetValue<string>()));
        Assert.Equal(2, search.Body["items"]![0]!.AsObject().Count);
        Assert.Single(filter.Body!["items"]!.AsArray());
        Assert.Equal("{\"total\":3,\"size\":1,\"offset\":1}", page.Body!["metadata"]!["pagination"]!.ToJsonString());
        bad.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
    }

    [Fact]
    public async Task Archive_And_Yaml_DownloadTheStoredFiles_ByDslVersion()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var wagon = Wagons.Wagon();
        var plugin = await manager.Client.UploadValidPluginAsync(Wagons.Zip(wagon, ("plugin.yaml", Wagons.PluginYaml), ("plugin_1_4.yaml", Wagons.PluginYaml14)));
        var id = plugin["id"]!.GetValue<string>();

        var archive = await manager.Client.GetByteArrayAsync($"/api/v3.1/plugins/{id}/archive", Token);
        var full = await manager.Client.GetByteArrayAsync($"/api/v3.1/plugins/{id}/archive?full_archive=true", Token);
        var yaml13 = await manager.Client.GetStringAsync($"/api/v3.1/plugins/{id}/yaml?dsl_version=1_3", Token);
        var yaml14 = await manager.Client.GetStringAsync($"/api/v3.1/plugins/{id}/yaml?dsl_version=1_4", Token);
        var yaml15 = await manager.Client.GetStringAsync($"/api/v3.1/plugins/{id}/yaml?dsl_version=1_5", Token);
        var served = await manager.Client.GetStringAsync($"/resources/plugins/{id}/plugin_1_4.yaml", Token);

        Assert.Equal(wagon, archive);
        using (var zip = new ZipArchive(new MemoryStream(full)))
        {
            Assert.Equal([plugin["archive_name"]!.GetValue<string>(), "plugin.yaml", "plugin_1_4.yaml"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }

        Assert.Equal(Wagons.PluginYaml, yaml13);
        Assert.Equal(Wagons.PluginYaml14, yaml14);
        Assert.Equal(Wagons.PluginYaml14, yaml15);
        Assert.Equal(Wagons.PluginYaml14, served);
    }

    [Fact]
    public async Task BlueprintUpload_ResolvesPluginImport_AgainstUploadedPlugins()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidPluginAsync(Wagons.Zip(Wagons.Wagon(), ("plugin.yaml", Wagons.PluginYaml), ("plugin_1_4.yaml", Wagons.PluginYaml14)));

        var latest = await manager.Client.UploadAsync("bp14", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin", "acme.nodes.Only14")));
        var older = await manager.Client.UploadAsync(
            "bp13", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin?version=1.2.0", "acme.nodes.Thing", "cloudify_dsl_1_3")));
        var only14InOld = await manager.Client.UploadAsync(
            "bad13", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin", "acme.nodes.Only14", "cloudify_dsl_1_3")));

        Assert.True(latest.Status == HttpStatusCode.Created, latest.Body?.ToJsonString());
        Assert.True(older.Status == HttpStatusCode.Created, older.Body?.ToJsonString());
        Assert.Equal("acme-plugin", older.Body!["plan"]!["deployment_plugins_to_install"]![0]!["package_name"]!.GetValue<string>());
        only14InOld.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
    }

    [Theory]
    [InlineData("plugin:acme-plugin?version=>=2.0", "Couldn't find plugin \"acme-plugin\" with version >=2.0")]
    [InlineData("plugin:missing-plugin", "Couldn't find plugin \"missing-plugin\" for")]
    [InlineData("plugin:acme-plugin?distribution=ubuntu", "Couldn't find plugin \"acme-plugin\" for")]
    [InlineData("plugin:acme-plugin?flavour=x", "Error parsing spec for plugin acme-plugin: invalid parameter flavour")]
    public async Task BlueprintUpload_Refuses_WhenNoUploadedPluginMatches(string import, string message)
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidPluginAsync();

        var response = await manager.Client.UploadAsync("bp", Wagons.BlueprintArchive(Wagons.BlueprintImporting(import)));

        response.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        Assert.Contains(message, response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueprintUpload_PicksHighestMatchingVersion()
    {
        await using var manager = await ManagerFixture.StartAsync();
        foreach (var version in new[] { "1.9", "1.10", "2.0rc1", "2.1" })
        {
            var yaml = Wagons.PluginYaml.Replace("package_version: '1.2.0'", $"package_version: '{version}'", StringComparison.Ordinal);
            await manager.Client.UploadValidPluginAsync(Wagons.Zip(Wagons.Wagon(Wagons.Metadata(version: version)), ("plugin.yaml", yaml)));
        }

        var below2 = await manager.Client.UploadAsync("a", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin?version=<2")));
        var any = await manager.Client.UploadAsync("b", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin")));

        Assert.Equal("1.10", below2.Body!["plan"]!["deployment_plugins_to_install"]![0]!["package_version"]!.GetValue<string>());
        Assert.Equal("2.1", any.Body!["plan"]!["deployment_plugins_to_install"]![0]!["package_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_Refuses405WhileABlueprintUsesIt_UnlessForced()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var plugin = await manager.Client.UploadValidPluginAsync();
        var id = plugin["id"]!.GetValue<string>();
        await manager.Client.UploadValidAsync("bp", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin")));

        var refused = await manager.Client.SendAsync(HttpMethod.Delete, $"/api/v3.1/plugins/{id}", new JsonObject { ["force"] = false });
        var forced = await manager.Client.SendAsync(HttpMethod.Delete, $"/api/v3.1/plugins/{id}", new JsonObject { ["force"] = true });
        var gone = await manager.Client.GetJsonAsync($"/api/v3.1/plugins/{id}");
        var again = await manager.Client.SendAsync(HttpMethod.Delete, $"/api/v3.1/plugins/{id}", new JsonObject { ["force"] = true });

        refused.AssertError(HttpStatusCode.MethodNotAllowed, "plugin_in_use");
        Assert.Contains("is currently in use in blueprints: bp", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, forced.Status);
        gone.AssertError(HttpStatusCode.NotFound, "not_found_error");
        again.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.False(Directory.Exists(Path.Combine(manager.ResourcesRoot, "plugins", id)));
    }

    [Fact]
    public async Task Plugins_OfOneTenant_AreInvisibleFromAnother_UntilGlobal()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Store.EnsureTenantAsync("other", Token);
        using var other = manager.CreateClient("admin", ManagerFixture.AdminPassword, "other");
        var id = (await manager.Client.UploadValidPluginAsync())["id"]!.GetValue<string>();
        var blueprint = Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin"));

        var hiddenGet = await other.GetJsonAsync($"/api/v3.1/plugins/{id}");
        var hiddenList = await other.GetJsonAsync("/api/v3.1/plugins");
        var hiddenImport = await other.UploadAsync("bp", blueprint);
        var global = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/plugins/{id}/set-visibility", new JsonObject { ["visibility"] = "global" });
        var seenList = await other.GetJsonAsync("/api/v3.1/plugins");
        var seenImport = await other.UploadAsync("bp", blueprint);
        var foreignDelete = await other.SendAsync(HttpMethod.Delete, $"/api/v3.1/plugins/{id}", new JsonObject());
        var narrower = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/plugins/{id}/set-visibility", new JsonObject { ["visibility"] = "tenant" });

        hiddenGet.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Empty(hiddenList.Body!["items"]!.AsArray());
        hiddenImport.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        Assert.Equal("global", global.Body!["visibility"]!.GetValue<string>());
        Assert.Single(seenList.Body!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.Created, seenImport.Status);
        foreignDelete.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
        narrower.AssertError(HttpStatusCode.BadRequest, "illegal_action_error");
    }

    [Fact]
    public async Task Upload_OfACaravan_StoresEveryPlugin_AndAnswersAList()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var caravan = Wagons.Caravan(
            null,
            ("one", Wagons.Wagon(Wagons.Metadata("acme-plugin", "1.0")), Wagons.PluginYaml),
            ("two", Wagons.Wagon(Wagons.Metadata("other-plugin", "2.0")), Wagons.PluginYaml14));

        var response = await manager.Client.UploadPluginAsync(caravan);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("{\"total\":2,\"size\":2,\"offset\":0}", response.Body!["metadata"]!["pagination"]!.ToJsonString());
        var names = response.Body["items"]!.AsArray().Select(i => i!["package_name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["acme-plugin", "other-plugin"], names);
        var listed = await manager.Client.GetJsonAsync("/api/v3.1/plugins");
        Assert.Equal(2, listed.Body!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Upload_OfACaravan_StoresNothing_WhenOneOfItsPluginsIsRefused()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidPluginAsync(Wagons.StandardZip(Wagons.Metadata("other-plugin", "2.0")));
        var clashing = Wagons.Caravan(
            null,
            ("one", Wagons.Wagon(Wagons.Metadata("acme-plugin", "1.0")), Wagons.PluginYaml),
            ("two", Wagons.Wagon(Wagons.Metadata("other-plugin", "2.0")), Wagons.PluginYaml));
        var escaping = Wagons.Caravan(
            new JsonObject { ["../../one.wgn"] = "one/plugin.yaml" },
            ("one", Wagons.Wagon(Wagons.Metadata("acme-plugin", "1.0")), Wagons.PluginYaml));

        var conflict = await manager.Client.UploadPluginAsync(clashing);
        var invalid = await manager.Client.UploadPluginAsync(escaping);

        conflict.AssertError(HttpStatusCode.Conflict, "conflict_error");
        invalid.AssertError(HttpStatusCode.BadRequest, "invalid_plugin_error");
        var listed = await manager.Client.GetJsonAsync("/api/v3.1/plugins");
        Assert.Equal(["other-plugin"], listed.Body!["items"]!.AsArray().Select(i => i!["package_name"]!.GetValue<string>()));
        Assert.Single(Directory.GetDirectories(Path.Combine(manager.ResourcesRoot, "plugins")));
    }

    [Fact]
    public async Task PrivatePlugin_IsSeenOnlyByItsCreatorAndAdmins_AndOperationsCannotUpload()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await AddUserAsync(manager, "alice", "user");
        await AddUserAsync(manager, "bob", "user");
        await AddUserAsync(manager, "olga", "operations");
        using var alice = manager.CreateClient("alice", "alice-pass");
        using var bob = manager.CreateClient("bob", "bob-pass");
        using var olga = manager.CreateClient("olga", "olga-pass");

        var id = (await alice.UploadValidPluginAsync(query: "?visibility=private"))["id"]!.GetValue<string>();
        var bobGet = await bob.GetJsonAsync($"/api/v3.1/plugins/{id}");
        var bobList = await bob.GetJsonAsync("/api/v3.1/plugins");
        var bobImport = await bob.UploadAsync("bp", Wagons.BlueprintArchive(Wagons.BlueprintImporting("plugin:acme-plugin")));
        var adminGet = await manager.Client.GetJsonAsync($"/api/v3.1/plugins/{id}");
        var aliceGlobal = await alice.UploadPluginAsync(Wagons.StandardZip(Wagons.Metadata(version: "9.9")), "?visibility=global");
        var olgaUpload = await olga.UploadPluginAsync(Wagons.StandardZip(Wagons.Metadata(version: "3.0")));

        bobGet.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Empty(bobList.Body!["items"]!.AsArray());
        bobImport.AssertError(HttpStatusCode.BadRequest, "invalid_blueprint_error");
        Assert.Equal(HttpStatusCode.OK, adminGet.Status);
        aliceGlobal.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
        olgaUpload.AssertError(HttpStatusCode.Forbidden, "forbidden_error");
    }

    private static async Task AddUserAsync(ManagerFixture manager, string name, string tenantRole)
    {
        await manager.Store.CreateUserAsync(
            new User { Username = name, PasswordHash = PasswordHasher.Hash(name + "-pass"), Role = "default", CreatedAt = DateTimeOffset.UnixEpoch }, Token);
        await manager.Store.SetUserTenantRoleAsync(name, "default_tenant", tenantRole, Token);
    }

    private static JsonObject WithArchiveName(string name)
    {
        var metadata = Wagons.Metadata();
        metadata["archive_name"] = name;
        return metadata;
    }
}
