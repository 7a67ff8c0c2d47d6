using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Tests.Client;

public sealed class StratusClientTests : IDisposable
{
    private readonly FakeManager _manager = new();
    private readonly HttpClient _http;
    private readonly StratusClient _client;
    private readonly string _folder = Directory.CreateTempSubdirectory("stratus-bp-").FullName;

    public StratusClientTests()
    {
        _http = new HttpClient(_manager);
        _client = new StratusClient(_http, new StratusClientOptions
        {
            BaseAddress = new Uri("http://manager.test:8100"),
            Username = "admin",
            Password = "pw",
            Tenant = "t1",
        });
    }

    [Fact]
    public async Task UploadAsync_SendsParamsAndTarGzOfFolder_AsCloudifyClientDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        var bp = Directory.CreateDirectory(Path.Combine(_folder, "hello")).FullName;
        await File.WriteAllTextAsync(Path.Combine(bp, "main.yaml"), "tosca_definitions_version: cloudify_dsl_1_4\n", ct);
        Directory.CreateDirectory(Path.Combine(bp, "scripts"));
        await File.WriteAllTextAsync(Path.Combine(bp, "scripts", "run.sh"), "echo hi\n", ct);
        Directory.CreateDirectory(Path.Combine(bp, ".git"));
        await File.WriteAllTextAsync(Path.Combine(bp, ".git", "config"), "[core]\n", ct);
        _manager.On("PUT /api/v3.1/blueprints/hello", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Blueprint("hello")));

        var blueprint = await _client.Blueprints.UploadAsync("hello", bp, "main.yaml", ct);

        Assert.Equal("hello", blueprint.Id);
        var request = Assert.Single(_manager.Requests);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        var parts = await ReadMultipartAsync(request, ct);
        var parameters = JsonNode.Parse(Encoding.UTF8.GetString(parts["params"]))!;
        Assert.Equal("main.yaml", parameters["application_file_name"]!.GetValue<string>());
        Assert.False(parameters["async_upload"]!.GetValue<bool>());
        Assert.Equal(["hello/main.yaml", "hello/scripts/run.sh"], TarEntries(parts["blueprint_archive"]));
    }

    [Fact]
    public async Task UploadAsync_RaisesInvalidBlueprint_WhenManagerRejectsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_folder, "blueprint.yaml");
        await File.WriteAllTextAsync(file, "node_templates: {}\n", ct);
        _manager.On("PUT /api/v3.1/blueprints/bad", _ => FakeManager.Json(
            HttpStatusCode.BadRequest, Samples.Error("invalid_blueprint_error", "Blueprint `bad` is invalid. Error: missing version")));

        var error = await Assert.ThrowsAsync<StratusApiException>(() => _client.Blueprints.UploadAsync("bad", file, cancellationToken: ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("invalid_blueprint_error", error.ErrorCode);
        Assert.Contains("is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_SendsBasicAuthAndTenant()
    {
        _manager.OnJson("GET /api/v3.1/version", new JsonObject { ["version"] = "7.1.0", ["edition"] = "community" });

        var version = await _client.Manager.GetVersionAsync(TestContext.Current.CancellationToken);

        Assert.Equal("7.1.0", version.Version);
        var headers = Assert.Single(_manager.Requests).Headers;
        Assert.Contains("Authorization: Basic " + Convert.ToBase64String("admin:pw"u8.ToArray()), headers, StringComparison.Ordinal);
        Assert.Contains("Tenant: t1", headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorWithoutCloudifyBody_StillCarriesStatusAndCode()
    {
        _manager.On("GET /api/v3.1/deployments/x", _ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent("<html>bad gateway</html>"),
        });

        var error = await Assert.ThrowsAsync<StratusApiException>(
            () => _client.Deployments.GetAsync("x", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal("internal_server_error", error.ErrorCode);
        Assert.Contains("502", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagedAll_WalksEveryPage_UntilTotalIsReached()
    {
        var ids = Enumerable.Range(1, 5).Select(i => $"d{i}").ToArray();
        _manager.On("GET /api/v3.1/deployments", request =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var offset = int.Parse(query["_offset"]!, System.Globalization.CultureInfo.InvariantCulture);
            var size = int.Parse(query["_size"]!, System.Globalization.CultureInfo.InvariantCulture);
            var body = FakeManager.List([.. ids.Skip(offset).Take(size).Select(id => (JsonNode)new JsonObject { ["id"] = id })]);
            body["metadata"]!["pagination"]!["total"] = ids.Length;
            return FakeManager.Json(HttpStatusCode.OK, body);
        });

        var seen = new List<string>();
        await foreach (var d in Paged.AllAsync<Deployment>(_client.Deployments.ListAsync, pageSize: 2, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(d.Id);
        }

        Assert.Equal(ids, seen);
        Assert.Equal(3, _manager.Requests.Count);
    }

    [Fact]
    public async Task StartAsync_SendsCloudifyBody_AndReadsPendingExecution()
    {
        _manager.On("POST /api/v3.1/executions", _ => FakeManager.Json(HttpStatusCode.Created, Samples.Execution("e9", "pending")));

        var execution = await _client.Executions.StartAsync(
            "dep", "install", new JsonObject { ["a"] = 1 }, new ExecutionStartOptions { Force = true }, TestContext.Current.CancellationToken);

        Assert.Equal("e9", execution.Id);
        Assert.False(execution.IsEnded);
        var body = JsonNode.Parse(Assert.Single(_manager.Requests).BodyText)!;
        Assert.Equal("dep", body["deployment_id"]!.GetValue<string>());
        Assert.Equal("false", body["allow_custom_parameters"]!.GetValue<string>());
        Assert.True(body["force"]!.GetValue<bool>());
        Assert.Equal(1, body["parameters"]!["a"]!.GetValue<int>());
    }

    [Fact]
    public async Task CancelAsync_PostsForceCancelAction_WhenForced()
    {
        _manager.On("POST /api/v3.1/executions/e1", _ => FakeManager.Json(HttpStatusCode.OK, Samples.Execution("e1", "force_cancelling")));

        await _client.Executions.CancelAsync("e1", force: true, TestContext.Current.CancellationToken);

        Assert.Equal("force-cancel", JsonNode.Parse(Assert.Single(_manager.Requests).BodyText)!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task IsOkAsync_IsFalse_WhenManagerAnswersFail()
    {
        _manager.On("GET /api/v3.1/ok", _ => FakeManager.Json(HttpStatusCode.InternalServerError, JsonValue.Create("FAIL")));

        Assert.False(await _client.Manager.IsOkAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        _http.Dispose();
        _manager.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<Dictionary<string, byte[]>> ReadMultipartAsync(RecordedRequest request, CancellationToken ct)
    {
        var boundary = request.ContentType!.Split("boundary=")[1].Trim('"');
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(request.Body!));
        var parts = new Dictionary<string, byte[]>();
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            var disposition = System.Net.Http.Headers.ContentDispositionHeaderValue.Parse(section.ContentDisposition!);
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer, ct);
            parts[disposition.Name!.Trim('"')] = buffer.ToArray();
        }

        return parts;
    }

    private static List<string> TarEntries(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}
