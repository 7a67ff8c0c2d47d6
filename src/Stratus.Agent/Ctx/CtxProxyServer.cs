using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stratus.Agent.Ctx;

/// <summary>
/// The ctx proxy: HTTP on 127.0.0.1 and an ephemeral port, Cloudify's protocol (<c>POST {"args": [...]}</c> answered
/// with <c>{"type", "payload"}</c>). Each operation registers its session under a random path and gets its own URL in
/// <c>CTX_SOCKET_URL</c>, so only the operation's processes can drive its ctx. One listener serves every operation of
/// the agent: Cloudify starts a server per operation, but here that costs ~25 ms per operation for no isolation gain.
/// With the request header <see cref="OutputHeader"/> the answer is the text the CLI prints, for the bash <c>ctx</c>
/// that has no JSON parser.
/// </summary>
internal sealed class CtxProxyServer : IAsyncDisposable
{
    /// <summary><c>text</c> (Python <c>str()</c> formatting) or <c>json</c> (the <c>-j</c> flag).</summary>
    public const string OutputHeader = "X-Stratus-Ctx-Output";

    private const int MaxRequestBytes = 16 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, CtxSession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private WebApplication? _app;
    private int _port;

    /// <summary>Serves <paramref name="session"/> until the returned registration is disposed.</summary>
    public async Task<Registration> RegisterAsync(CtxSession session, CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _sessions[key] = session;
        return new Registration(this, key, new Uri($"http://127.0.0.1:{_port}/{key}"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _startGate.Dispose();
    }

    /// <summary>Renders a reply the way Cloudify's <c>ctx</c> CLI prints it (stdout for results, stderr otherwise).</summary>
    public static string RenderText(CtxReply reply, bool json) => reply.Type switch
    {
        CtxReply.Result => json ? PythonFormat.JsonDumps(reply.Payload) : PythonFormat.CtxOutput(reply.Payload),
        CtxReply.StopOperation => JsonRead.String(reply.Payload?["message"]) ?? string.Empty,
        _ => $"{JsonRead.String(reply.Payload?["type"])}: {JsonRead.String(reply.Payload?["message"])}",
    };

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _app) is not null)
        {
            return;
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_app is not null)
            {
                return;
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
                kestrel.AddServerHeader = false;
            });
            // The agent's host owns process signals; this listener stops only when the agent disposes it.
            builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
            var app = builder.Build();
            app.Run(HandleAsync);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            _port = new Uri(address).Port;
            Volatile.Write(ref _app, app);
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var key = http.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        if (!HttpMethods.IsPost(http.Request.Method) || !_sessions.TryGetValue(key, out var session))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var reply = await ProcessAsync(session, http.Request, http.RequestAborted);
        var mode = http.Request.Headers[OutputHeader].ToString();
        if (mode is "text" or "json")
        {
            await WriteAsync(http, "text/plain; charset=utf-8", reply.Type + "\n" + RenderText(reply, mode == "json"));
            return;
        }

        await WriteAsync(http, "application/json", reply.ToJson().ToJsonString());
    }

    /// <summary>A sized body (no chunked encoding), so a client reading the raw socket gets exactly the text.</summary>
    private static async Task WriteAsync(HttpContext http, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        http.Response.ContentType = contentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static async Task<CtxReply> ProcessAsync(CtxSession session, HttpRequest request, CancellationToken cancellationToken)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            return BadRequest("JSONDecodeError", ex.Message);
        }

        if (body is not JsonObject envelope || envelope["args"] is not JsonArray args)
        {
            return BadRequest("KeyError", "'args'");
        }

        return await session.HandleAsync([.. args.Select(a => a?.DeepClone())], cancellationToken);
    }

    /// <summary>One operation's URL on the proxy; disposing it stops serving that operation.</summary>
    internal sealed class Registration(CtxProxyServer server, string key, Uri url) : IDisposable
    {
        public Uri Url { get; } = url;

        public void Dispose() => server._sessions.TryRemove(key, out _);
    }

    private sealed class PassiveLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static CtxReply BadRequest(string type, string message) =>
        new(CtxReply.Error, new JsonObject { ["type"] = type, ["message"] = message, ["traceback"] = string.Empty });
}
