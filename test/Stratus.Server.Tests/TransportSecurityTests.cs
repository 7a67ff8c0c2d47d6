using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>CORS is off unless origins are configured; an HTTPS listener from a PEM certificate and key.</summary>
public sealed class TransportSecurityTests
{
    private const string Origin = "https://ui.example.com";

    private static async Task<HttpResponseMessage> PreflightAsync(ManagerFixture manager, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v3.1/blueprints");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,tenant");
        using var anonymous = manager.CreateClient(null, null, tenant: null);
        return await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Cors_IsOff_ByDefault()
    {
        await using var manager = await ManagerFixture.StartAsync();

        using var preflight = await PreflightAsync(manager, Origin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3.1/blueprints");
        request.Headers.Add("Origin", Origin);
        using var get = await manager.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False(get.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_AnswersConfiguredOriginsOnly()
    {
        var dataDir = ManagerFixture.NewDataDir();
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, CorsOrigins = [Origin] });

        using var allowed = await PreflightAsync(manager, Origin);
        using var other = await PreflightAsync(manager, "https://evil.example.net");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3.1/blueprints");
        request.Headers.Add("Origin", Origin);
        using var get = await manager.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(allowed.IsSuccessStatusCode, allowed.StatusCode.ToString());
        Assert.Equal([Origin], allowed.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal([Origin], get.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Https_ServesTheApi_WithTheGivenCertificate()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        using var key = RSA.Create(2048);
        var certificateRequest = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        certificateRequest.CertificateExtensions.Add(names.Build());
        using var certificate = certificateRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(dataDir, "server.crt");
        var keyFile = Path.Combine(dataDir, "server.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        var options = new ManagerOptions { DataDir = dataDir, SslCertificateFile = certFile, SslKeyFile = keyFile, SslPort = 0 };
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: options);
        var https = new Uri(manager.App.Urls.Single(u => u.StartsWith("https://", StringComparison.Ordinal)));
        string? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert?.Thumbprint;
                return cert?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = https };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + ManagerFixture.AdminPassword)));

        var version = await client.GetStringAsync("/api/v3.1/version", TestContext.Current.CancellationToken);

        Assert.Equal(certificate.Thumbprint, presented);
        Assert.Contains("\"edition\"", version, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RefuseACertificateWithoutItsKey_AndABadOriginOrNetwork()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Assert.Throws<ArgumentException>(() => ManagerHost.Build(new ManagerOptions { DataDir = dataDir, SslCertificateFile = "/x.crt" }));
        Assert.Throws<ArgumentException>(() => ManagerHost.Build(new ManagerOptions { DataDir = dataDir, CorsOrigins = ["*"] }));
        var network = Assert.Throws<ArgumentException>(() => ManagerHost.Build(new ManagerOptions { DataDir = dataDir, UploadUrlAllowList = ["10.0.0.0/33"] }));
        Assert.Contains("--upload-url-allow must be a network in CIDR form", network.Message, StringComparison.Ordinal);
        Assert.Contains("`10.0.0.0/33`", network.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", network.Message, StringComparison.Ordinal);
    }
}
