using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;

namespace Stratus.Agent.Tests;

/// <summary>The proxy's wire protocol, as Cloudify's own Python ctx client speaks it.</summary>
public sealed class CtxProxyServerTests : IAsyncLifetime
{
    private readonly FakeManagerApi _manager = new FakeManagerApi().AddNode("vm", new JsonObject { ["port"] = 8080 }).AddInstance("vm_1", "vm");
    private readonly HttpClient _http = new();
    private OperationLog? _log;
    private CtxSession? _session;
    private readonly CtxProxyServer _server = new();
    private CtxProxyServer.Registration? _proxy;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var context = TestTasks.Context();
        _log = new OperationLog(_manager, LogContext.From(context), TimeProvider.System, TimeSpan.FromMilliseconds(10), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _session = new CtxSession(context, _manager, _log, Path.GetTempPath());
        _proxy = await _server.RegisterAsync(_session, Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        _proxy!.Dispose();
        await _server.DisposeAsync();
        _session!.Dispose();
        await _log!.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Post_ReturnsTypedResultEnvelope()
    {
        using var response = await _http.PostAsJsonAsync(_proxy!.Url, new JsonObject { ["args"] = new JsonArray("node", "properties", "port") }, Cancel);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":"result","payload":8080}""", body?.ToJsonString());
    }

    [Fact]
    public async Task Post_ReturnsErrorEnvelope_WithTypeMessageAndTraceback()
    {
        using var response = await _http.PostAsJsonAsync(_proxy!.Url, new JsonObject { ["args"] = new JsonArray("node", "properties", "nope") }, Cancel);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Cancel);

        Assert.Equal("error", body?["type"]?.GetValue<string>());
        Assert.Equal("RuntimeError", body?["payload"]?["type"]?.GetValue<string>());
        Assert.NotNull(body?["payload"]?["traceback"]);
    }

    [Fact]
    public async Task Post_ToAnotherPath_IsRejected()
    {
        var other = new UriBuilder(_proxy!.Url) { Path = "/" }.Uri;

        using var response = await _http.PostAsJsonAsync(other, new JsonObject { ["args"] = new JsonArray("node", "id") }, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_AfterTheOperationEnded_IsRejected()
    {
        _proxy!.Dispose();

        using var response = await _http.PostAsJsonAsync(_proxy.Url, new JsonObject { ["args"] = new JsonArray("node", "id") }, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("[\"node\", \"id\"]")]
    [InlineData("null")]
    public async Task Post_ABodyThatIsNotAnObject_GetsAKeyErrorEnvelope(string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await _http.PostAsync(_proxy!.Url, content, Cancel);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("KeyError", body?["payload"]?["type"]?.GetValue<string>());
    }

    [Fact]
    public void Url_IsOnLoopback() => Assert.True(IPAddress.IsLoopback(IPAddress.Parse(_proxy!.Url.Host)));
}
