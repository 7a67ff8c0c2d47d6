using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Stratus.Messaging;
using Stratus.Server.Hosting;
using Stratus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Stratus.Server.Tests.Support;

/// <summary>A real manager (SQLite, in-process broker, real DSL) on a free port, without the workflow engine.</summary>
internal sealed class ManagerFixture : IAsyncDisposable
{
    public const string AdminPassword = "admin-secret-1";

    private ManagerFixture(WebApplication app, string dataDir, Uri baseAddress, StringWriter console)
    {
        App = app;
        DataDir = dataDir;
        BaseAddress = baseAddress;
        Console = console;
        Client = CreateClient("admin", AdminPassword);
    }

    public WebApplication App { get; }

    public string DataDir { get; }

    public Uri BaseAddress { get; }

    public StringWriter Console { get; }

    public HttpClient Client { get; }

    /// <summary>Leave the data folder behind on dispose (to start a second manager on it).</summary>
    public bool KeepData { get; set; }

    public IStratusStore Store => App.Services.GetRequiredService<IStratusStore>();

    public IMessageBroker Broker => App.Services.GetRequiredService<IMessageBroker>();

    public string ResourcesRoot => Path.Combine(DataDir, "resources");

    public static async Task<ManagerFixture> StartAsync(
        string? adminPassword = AdminPassword, string? dataDir = null, ManagerOptions? options = null, HostOverrides? overrides = null)
    {
        dataDir ??= NewDataDir();
        var console = new StringWriter();
        var effective = (options ?? new ManagerOptions { DataDir = dataDir }) with { DataDir = dataDir, Port = 0, AdminPassword = adminPassword };
        var app = ManagerHost.Build(effective, console, overrides ?? new HostOverrides { RunEngine = false });
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await app.StartAsync(TestContext.Current.CancellationToken);
                break;
            }
            catch (IOException) when (attempt < 3)
            {
                // The free port chosen for this manager was taken by a parallel test before Kestrel bound it.
                await app.DisposeAsync();
                app = ManagerHost.Build(effective, console, overrides ?? new HostOverrides { RunEngine = false });
            }
        }
        var address = new Uri(app.Urls.First());
        return new ManagerFixture(app, dataDir, address, console);
    }

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "stratus-server-tests", Guid.NewGuid().ToString("N"));

    public HttpClient CreateClient(string? username, string? password, string? tenant = "default_tenant")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (username is not null)
        {
            client.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("Tenant", tenant);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        if (KeepData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder does not affect other tests (each has its own).
        }
    }
}
