namespace Stratus.EndToEnd.Tests;

[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqLifecycleTests(RabbitMqManager rabbit)
{
    [Fact]
    public Task HelloWorld_InstallsAndUninstalls_OverRabbitMq() => HelloWorldScenario.RunAsync(rabbit.Require(), "hw-rmq");

    [Fact]
    public async Task Brokers_ShowsTheRabbitMqEndpoint_WithoutItsCredentials()
    {
        var manager = rabbit.Require();
        var password = new Uri(Environment.GetEnvironmentVariable("STRATUS_TEST_RABBITMQ")!).UserInfo.Split(':', 2)[1];

        using var http = new HttpClient { BaseAddress = manager.Url };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + ManagerProcess.AdminPassword)));
        http.DefaultRequestHeaders.Add("Tenant", "default_tenant");
        var brokers = await http.GetStringAsync(new Uri("/api/v3.1/brokers", UriKind.Relative), TestContext.Current.CancellationToken);
        var output = manager.Output;

        Assert.Contains("\"rabbitmq\"", brokers, StringComparison.Ordinal);
        Assert.DoesNotContain(password, brokers, StringComparison.Ordinal);
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
    }
}
