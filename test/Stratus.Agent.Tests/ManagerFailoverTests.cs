using System.Net;
using System.Text;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Tests;

public sealed class ManagerFailoverTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Refuses connections to the hosts in <see cref="Down"/>; answers 200 elsewhere.</summary>
    private sealed class Managers : HttpMessageHandler
    {
        public HashSet<string> Down { get; } = new(StringComparer.Ordinal);

        public List<string> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Host;
            Calls.Add(host);
            return Down.Contains(host)
                ? throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111))
                : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id": "vm_1", "version": 1}""", Encoding.UTF8, "application/json") });
        }
    }

    [Fact]
    public async Task Calls_FailOverToTheNextManager_AndStayThereWhileItAnswers()
    {
        var managers = new Managers();
        managers.Down.Add("10.0.0.1");
        using var http = new HttpClient(managers);
        var failover = new ManagerFailover();
        Uri[] urls = [new("http://10.0.0.1:80/"), new("http://10.0.0.2:80/")];
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent", urls, failover);

        await api.GetNodeInstanceAsync("vm_1", Cancel);
        await api.GetNodeInstanceAsync("vm_1", Cancel);
        managers.Down.Clear();
        managers.Down.Add("10.0.0.2");
        await api.GetNodeInstanceAsync("vm_1", Cancel);

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.2", "10.0.0.1"], managers.Calls);
    }

    [Fact]
    public async Task Calls_NameEveryManagerTried_WhenNoneAnswers()
    {
        var managers = new Managers();
        managers.Down.UnionWith(["10.0.0.1", "10.0.0.2"]);
        using var http = new HttpClient(managers);
        var api = new HttpManagerApi(http, TestTasks.Context(), "agent", [new("http://10.0.0.1:8001/"), new("http://10.0.0.2:8002/")], new ManagerFailover());

        var error = await Assert.ThrowsAsync<ManagerApiException>(() => api.GetNodeInstanceAsync("vm_1", Cancel));

        Assert.Contains("http://10.0.0.1:8001, http://10.0.0.2:8002", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutManagerUrls_TheTasksRestHostsAreTriedInOrder()
    {
        var managers = new Managers();
        managers.Down.Add("10.0.0.8");
        using var http = new HttpClient(managers);
        var api = new HttpManagerApi(http, TestTasks.Context() with { RestHost = ["10.0.0.8", "10.0.0.9"], RestPort = 8080 }, "agent");

        await api.GetNodeInstanceAsync("vm_1", Cancel);

        Assert.Equal(["10.0.0.8", "10.0.0.9"], managers.Calls);
    }
}
