using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>
/// <c>--broker-management-url</c> is checked when the manager starts, against the private RabbitMQ node's management
/// API (STRATUS_TEST_RABBITMQ_MANAGEMENT): a wrong password, a closed port, a user that is no administrator or a
/// vhost that does not exist stop the start with a message naming the flag and the reason, never the password, and
/// before the database is touched.
/// </summary>
public sealed class BrokerManagementStartTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManagerStart_IsRefused_WhenTheManagementPasswordIsWrong()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        var wrongPassword = "wrong-" + Guid.NewGuid().ToString("N");

        var error = await StartRefusedAsync(amqp, new UriBuilder(management) { Password = wrongPassword }.Uri);

        var user = Uri.UnescapeDataString(management.UserInfo.Split(':')[0]);
        Assert.Contains($"refused the credentials of user `{user}` (401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPassword, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagerStart_IsRefused_WhenTheManagementPortIsClosed()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await StartRefusedAsync(amqp, new UriBuilder(management) { Host = "127.0.0.1", Port = closedPort }.Uri);

        Assert.Contains($"RabbitMQ's management API at http://127.0.0.1:{closedPort} is unreachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(management.UserInfo.Split(':')[1]), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagerStart_IsRefused_WhenTheManagementUserIsNoAdministrator()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        using var admin = RabbitMqManagement.Client(management);
        var monitor = "srv-monitor-" + Guid.NewGuid().ToString("N")[..12];
        var password = "monitor-" + Guid.NewGuid().ToString("N");
        await AgentBrokerUserTests.PutUserAsync(admin, monitor, password, "monitoring");
        try
        {
            var error = await StartRefusedAsync(amqp, new UriBuilder(management) { UserName = monitor, Password = password }.Uri);

            Assert.Contains($"user `{monitor}`", error.Message, StringComparison.Ordinal);
            Assert.Contains("has the tags [monitoring], not `administrator`", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            using var deleted = await admin.DeleteAsync($"api/users/{monitor}", Token);
        }
    }

    [Fact]
    public async Task ManagerStart_IsRefused_WhenTheBrokerUrlsVhostDoesNotExist()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        var vhost = "no-such-vhost-" + Guid.NewGuid().ToString("N")[..8];

        var error = await StartRefusedAsync(new UriBuilder(amqp) { Path = "/" + vhost }.Uri.AbsoluteUri, management);

        Assert.Contains($"the vhost `{vhost}` of --broker-url does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_GivesUp_WhenTheManagementApiAcceptsButNeverAnswers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync(Token).AsTask();
        var time = new FakeTimeProvider();
        using var api = new Agents.BrokerManagementApi(new Uri($"http://stratus:secret-pw@127.0.0.1:{port}"));

        var check = Agents.BrokerManagementCheck.VerifyAsync(api, "stratus-test", time, Token);
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(check.IsCompleted, "the check ended before its timeout although the API never answered");
        time.Advance(Agents.BrokerManagementCheck.Timeout);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => check.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.Equal($"--broker-management-url: RabbitMQ's management API at http://127.0.0.1:{port} did not answer within 10 s", error.Message);
        Assert.DoesNotContain("secret-pw", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<InvalidOperationException> StartRefusedAsync(string amqp, Uri managementUrl)
    {
        var dataDir = ManagerFixture.NewDataDir();
        var console = new StringWriter();
        var options = new ManagerOptions
        {
            DataDir = dataDir,
            Port = 0,
            AdminPassword = ManagerFixture.AdminPassword,
            BrokerUrl = amqp,
            BrokerManagementUrl = managementUrl.AbsoluteUri,
        };
        try
        {
            await using var app = ManagerHost.Build(options, console, new HostOverrides { RunEngine = false });
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(Token));

            Assert.StartsWith("--broker-management-url: ", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dataDir, "stratus.db")), "the refused start must not have created the database");
            Assert.DoesNotContain(Uri.UnescapeDataString(managementUrl.UserInfo.Split(':')[1]), console.ToString(), StringComparison.Ordinal);
            return error;
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}
