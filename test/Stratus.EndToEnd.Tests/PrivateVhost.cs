using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A vhost of this test's own on the run's RabbitMQ node, made through its management API, so a manager the test
/// starts never shares <c>cloudify.management_*</c> queues with the managers of other tests (each has its own
/// database, and a message taken by the wrong one would be dropped or fail). Deleted, with its queues, at dispose.
/// </summary>
internal sealed class PrivateVhost : IAsyncDisposable
{
    private readonly HttpClient _admin;
    private readonly string _name;

    private PrivateVhost(HttpClient admin, string name, string amqpUrl)
    {
        _admin = admin;
        _name = name;
        AmqpUrl = amqpUrl;
    }

    /// <summary>The run's broker URL (same user) with the private vhost.</summary>
    public string AmqpUrl { get; }

    public static async Task<PrivateVhost> CreateAsync(string amqpUrl, Uri managementUrl, string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        var amqp = new Uri(amqpUrl);
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':', 2)[0]);
        var admin = RabbitMqManagement.Client(managementUrl);
        var vhost = Uri.EscapeDataString(name);
        using (var created = await admin.PutAsJsonAsync($"api/vhosts/{vhost}", new JsonObject(), cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        using (var granted = await admin.PutAsJsonAsync(
            $"api/permissions/{vhost}/{Uri.EscapeDataString(user)}",
            new JsonObject { ["configure"] = ".*", ["write"] = ".*", ["read"] = ".*" },
            cancellationToken))
        {
            granted.EnsureSuccessStatusCode();
        }

        return new PrivateVhost(admin, name, new UriBuilder(amqp) { Path = "/" + vhost }.Uri.AbsoluteUri);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var deleted = await _admin.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(_name)}");
        }
        catch (HttpRequestException)
        {
            // The node may already be gone at the end of the run; its temp folder goes with it.
        }

        _admin.Dispose();
    }
}
