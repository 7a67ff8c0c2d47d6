using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary><c>blueprint_archive_url</c> and <c>plugin_archive_url</c>: downloaded by the manager, never from where its callers cannot reach.</summary>
public sealed class UploadUrlTests
{
    private static JsonObject UrlParams(string url) => new() { ["blueprint_archive_url"] = url, ["application_file_name"] = "blueprint.yaml", ["visibility"] = "tenant" };

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> UploadFromUrlAsync(HttpClient client, string id, string url)
    {
        using var content = new MultipartFormDataContent { { new StringContent(UrlParams(url).ToJsonString()), "params" } };
        using var response = await client.PutAsync($"/api/v3.1/blueprints/{id}", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/bp.zip", "loopback")]
    [InlineData("http://localhost:{port}/bp.zip", "loopback")]
    [InlineData("http://[::1]:{port}/bp.zip", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/bp.zip", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://10.1.2.3/bp.zip", "private")]
    [InlineData("http://192.168.0.1/bp.zip", "private")]
    [InlineData("http://172.16.0.1/bp.zip", "private")]
    [InlineData("http://[fd00::1]/bp.zip", "private")]
    [InlineData("http://[fe80::1]/bp.zip", "link-local")]
    [InlineData("http://224.0.0.1/bp.zip", "multicast")]
    [InlineData("http://0.0.0.0:{port}/bp.zip", "unspecified")]
    [InlineData("http://2130706433:{port}/bp.zip", "loopback")]
    public async Task UrlUpload_RefusesNonPublicAddresses_ByDefault(string template, string kind)
    {
        await using var files = await FileHost.StartAsync(new Dictionary<string, byte[]> { ["/bp.zip"] = Archives.Zip(Archives.ValidBlueprint()) });
        await using var manager = await ManagerFixture.StartAsync();

        var response = await UploadFromUrlAsync(manager.Client, "bp", template.Replace("{port}", files.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains($"{kind} address", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, files.Requests);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Client.GetJsonAsync("/api/v3.1/blueprints/bp")).Status);
    }

    [Fact]
    public async Task UrlUpload_Succeeds_WhenPrivateAddressesAreAllowed_AndRefusesABodyToo()
    {
        await using var files = await FileHost.StartAsync(new Dictionary<string, byte[]> { ["/bp.zip"] = Archives.Zip(Archives.ValidBlueprint()) });
        var dataDir = ManagerFixture.NewDataDir();
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, AllowPrivateUploadUrls = true });

        var uploaded = await UploadFromUrlAsync(manager.Client, "bp", new Uri(files.Address, "/bp.zip").ToString());
        var both = await manager.Client.UploadAsync("bp2", Archives.Zip(Archives.ValidBlueprint()), UrlParams(new Uri(files.Address, "/bp.zip").ToString()));
        var legacy = await manager.Client.UploadRawAsync("bp3", [], "?blueprint_archive_url=" + Uri.EscapeDataString(new Uri(files.Address, "/bp.zip").ToString()));
        var missing = await UploadFromUrlAsync(manager.Client, "bp4", new Uri(files.Address, "/nope.zip").ToString());

        Assert.True(uploaded.Status == HttpStatusCode.Created, uploaded.Body?.ToJsonString());
        Assert.Equal("uploaded", uploaded.Body!["state"]!.GetValue<string>());
        both.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Equal("Can pass blueprint as only one of: URL via query parameters, multi-form or chunked.", both.Body!["message"]!.GetValue<string>());
        Assert.True(legacy.Status == HttpStatusCode.Created, legacy.Body?.ToJsonString());
        missing.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("HTTP 404", missing.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlUpload_ChecksEveryRedirect_AgainstTheAllowList()
    {
        await using var files = await FileHost.StartAsync(
            new Dictionary<string, byte[]> { ["/bp.zip"] = Archives.Zip(Archives.ValidBlueprint()) },
            new Dictionary<string, string> { ["/away"] = "http://127.0.0.2:9/bp.zip", ["/here"] = "/bp.zip" });
        var dataDir = ManagerFixture.NewDataDir();
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, UploadUrlAllowList = ["127.0.0.1/32"] });

        var redirectedAway = await UploadFromUrlAsync(manager.Client, "bp", new Uri(files.Address, "/away").ToString());
        var redirectedHere = await UploadFromUrlAsync(manager.Client, "bp2", new Uri(files.Address, "/here").ToString());

        redirectedAway.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("127.0.0.2 (loopback address)", redirectedAway.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(redirectedHere.Status == HttpStatusCode.Created, redirectedHere.Body?.ToJsonString());
    }

    [Fact]
    public async Task UrlUpload_IsBoundedInSizeAndTime()
    {
        await using var files = await FileHost.StartAsync(new Dictionary<string, byte[]> { ["/big.zip"] = new byte[64 * 1024] });
        var dataDir = ManagerFixture.NewDataDir();
        var options = new ManagerOptions { DataDir = dataDir, AllowPrivateUploadUrls = true, MaxArchiveBytes = 16 * 1024, UploadUrlTimeout = TimeSpan.FromSeconds(1) };
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: options);

        var big = await UploadFromUrlAsync(manager.Client, "bp", new Uri(files.Address, "/big.zip").ToString());
        var slow = await UploadFromUrlAsync(manager.Client, "bp", new Uri(files.Address, "/hang").ToString());
        var notHttp = await UploadFromUrlAsync(manager.Client, "bp", "file:///etc/passwd");

        big.AssertError(HttpStatusCode.RequestEntityTooLarge, "bad_parameters_error");
        slow.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("within 1 seconds", slow.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        notHttp.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Empty(Directory.GetFiles(Path.Combine(manager.ResourcesRoot, ".downloads")));
    }

    [Fact]
    public async Task PluginUrlUpload_IsRefusedForLoopback_ByDefault()
    {
        await using var files = await FileHost.StartAsync(new Dictionary<string, byte[]>());
        await using var manager = await ManagerFixture.StartAsync();

        var response = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/plugins?plugin_archive_url=" + Uri.EscapeDataString(new Uri(files.Address, "/p.wgn").ToString()));

        response.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
        Assert.Contains("loopback address", response.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, files.Requests);
    }
}
