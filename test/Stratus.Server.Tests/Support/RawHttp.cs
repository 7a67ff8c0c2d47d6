using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stratus.Server.Tests.Support;

/// <summary>Sends a request target byte for byte (HttpClient would normalise dot segments and escapes before sending).</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> GetAsync(Uri server, string target, string username, string password, string tenant = "default_tenant")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, TestContext.Current.CancellationToken);
        await using var stream = tcp.GetStream();
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
        var request = $"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Basic {credentials}\r\nTenant: {tenant}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var response = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        var statusLine = response.Split("\r\n", 2)[0].Split(' ');
        var body = response.Contains("\r\n\r\n", StringComparison.Ordinal) ? response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..] : "";
        return (statusLine.Length > 1 && int.TryParse(statusLine[1], out var status) ? status : (int)HttpStatusCode.BadGateway, body);
    }
}
