using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Stratus.Server.Tests.Support;

/// <summary>A small HTTP server on loopback that an upload URL points at: fixed files, redirects and a never-answering path.</summary>
internal sealed class FileHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FileHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public int Requests { get; private set; }

    public static async Task<FileHost> StartAsync(IReadOnlyDictionary<string, byte[]> files, IReadOnlyDictionary<string, string>? redirects = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FileHost? host = null;
        app.Run(async context =>
        {
            host!.Requests++;
            var path = context.Request.Path.Value ?? "";
            if (redirects?.TryGetValue(path, out var target) == true)
            {
                context.Response.Redirect(target);
                return;
            }

            if (path == "/hang")
            {
                // Never answers: the manager's download timeout must end the wait (the request's abort ends this one).
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            }

            if (files.TryGetValue(path, out var bytes))
            {
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        host = new FileHost(app, new Uri(app.Urls.First()));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
