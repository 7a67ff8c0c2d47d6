using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

public sealed class PluginVerbTests
{
    private static JsonObject Plugin(string id) => new()
    {
        ["id"] = id,
        ["package_name"] = "acme-plugin",
        ["package_version"] = "1.2.0",
        ["archive_name"] = "acme.wgn",
        ["distribution"] = "rhel",
        ["distribution_release"] = "ootpa",
        ["supported_platform"] = "manylinux_2_28_x86_64",
        ["uploaded_at"] = "2026-11-26T06:07:41.789Z",
        ["visibility"] = "tenant",
        ["tenant_name"] = "default_tenant",
        ["created_by"] = "admin",
        ["yaml_url_path"] = "plugin:acme-plugin?version=1.2.0&distribution=rhel",
        ["yaml_files_paths"] = new JsonArray($"plugins/{id}/plugin.yaml"),
        ["installation_state"] = new JsonArray(),
    };

    [Fact]
    public async Task PluginsUpload_SendsAFlatZipOfWagonAndYaml_WithVisibilityAndTitle()
    {
        using var cli = new CliRun();
        var dir = Directory.CreateTempSubdirectory("stratus-plugin-").FullName;
        var wagon = Path.Combine(dir, "acme.wgn");
        var yaml = Path.Combine(dir, "plugin.yaml");
        await File.WriteAllTextAsync(wagon, "wagon bytes", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(yaml, "plugins: {}", TestContext.Current.CancellationToken);
        cli.Manager.On("POST /api/v3.1/plugins", _ => FakeManager.Json(HttpStatusCode.Created, Plugin("p-1")));

        var exit = await cli.RunAsync("plugins", "upload", wagon, "-y", yaml, "--title", "Acme", "-l", "global");

        Assert.Equal(0, exit);
        Assert.Contains("Plugin uploaded. Plugin's id is p-1", cli.Out, StringComparison.Ordinal);
        var request = Assert.Single(cli.Manager.Requests);
        Assert.Equal("?visibility=global&title=Acme", request.Uri.Query);
        using var zip = new ZipArchive(new MemoryStream(request.Body!));
        Assert.Equal(["acme.wgn", "plugin.yaml"], zip.Entries.Select(e => e.FullName));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task PluginsUpload_RefusesMissingFile_BeforeCallingTheManager()
    {
        using var cli = new CliRun();

        var exit = await cli.RunAsync("plugins", "upload", "/nonexistent/acme.wgn");

        Assert.NotEqual(0, exit);
        Assert.Contains("No such file", cli.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Manager.Requests);
    }

    [Fact]
    public async Task PluginsList_SearchesAndSorts_AndPrintsTable()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/plugins", FakeManager.List(Plugin("p-1")));

        var exit = await cli.RunAsync("plugins", "list", "--search", "acme", "--descending");

        Assert.Equal(0, exit);
        var query = Uri.UnescapeDataString(Assert.Single(cli.Manager.Requests).Uri.Query);
        Assert.Contains("_sort=-uploaded_at", query, StringComparison.Ordinal);
        Assert.Contains("_search=acme", query, StringComparison.Ordinal);
        Assert.Contains("| p-1 | acme-plugin  | 1.2.0           |", cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginsGet_PrintsJson_WhenJsonIsGiven()
    {
        using var cli = new CliRun();
        cli.Manager.OnJson("GET /api/v3.1/plugins/p-1", Plugin("p-1"));

        var exit = await cli.RunAsync("plugins", "get", "p-1", "--json");

        Assert.Equal(0, exit);
        Assert.Equal("plugin:acme-plugin?version=1.2.0&distribution=rhel", JsonNode.Parse(cli.Out)!["yaml_url_path"]!.GetValue<string>());
    }

    [Fact]
    public async Task PluginsDelete_SendsForce_AndReportsPluginInUse()
    {
        using var cli = new CliRun();
        cli.Manager.On(
            "DELETE /api/v3.1/plugins/p-1",
            _ => FakeManager.Json(HttpStatusCode.MethodNotAllowed, Samples.Error("plugin_in_use", "Plugin \"p-1\" is currently in use in blueprints: bp.")),
            _ => new HttpResponseMessage(HttpStatusCode.NoContent));

        var refused = await cli.RunAsync("plugins", "delete", "p-1");
        var refusal = cli.Error;
        var forced = await cli.RunAsync("plugins", "delete", "p-1", "-f");

        Assert.Equal(1, refused);
        Assert.Contains("[plugin_in_use]", refusal, StringComparison.Ordinal);
        Assert.Equal(0, forced);
        Assert.Equal(["{\"force\":false}", "{\"force\":true}"], cli.Manager.Requests.Select(r => r.BodyText));
    }
}
