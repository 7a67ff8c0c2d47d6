using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Messaging;
using Stratus.Messaging.RabbitMq;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

/// <summary>
/// <c>PUT /agents/{name}</c> with <c>create_rabbitmq_user</c> against the private RabbitMQ node and its management API
/// (STRATUS_TEST_RABBITMQ, STRATUS_TEST_RABBITMQ_MANAGEMENT from scripts/test-services.sh; skipped without them,
/// failed when CI=true).
/// </summary>
public sealed class AgentBrokerUserTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string WithUser(string amqp, string username, string password) =>
        new UriBuilder(amqp) { UserName = Uri.EscapeDataString(username), Password = Uri.EscapeDataString(password) }.Uri.AbsoluteUri;

    [Fact]
    public async Task CreateRabbitMqUser_MakesALimitedUser_SealsItsPassword_AndDeletesItWithTheAgent()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        var name = "srv-" + Guid.NewGuid().ToString("N")[..12];
        var dataDir = ManagerFixture.NewDataDir();
        var options = new ManagerOptions { DataDir = dataDir, BrokerUrl = amqp, BrokerManagementUrl = management.AbsoluteUri };
        using var admin = RabbitMqManagement.Client(management);
        string password;
        await using (var manager = await ManagerFixture.StartAsync(dataDir: dataDir, options: options))
        {
            manager.KeepData = true;
            var created = await manager.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/agents/{name}", new JsonObject { ["create_rabbitmq_user"] = true });
            var again = await manager.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/agents/{name}", new JsonObject { ["create_rabbitmq_user"] = true });
            var one = await manager.Client.GetJsonAsync($"/api/v3.1/agents/{name}");
            var list = await manager.Client.GetJsonAsync("/api/v3.1/agents");

            Assert.Equal(HttpStatusCode.OK, created.Status);
            password = created.Body!["rabbitmq_password"]!.GetValue<string>();
            Assert.True(password.Length >= 24, "the password is too short to be random");
            Assert.Equal(("rabbitmq_user_" + name, name), (created.Body["rabbitmq_username"]!.GetValue<string>(), created.Body["rabbitmq_exchange"]!.GetValue<string>()));
            Assert.Equal(password, again.Body!["rabbitmq_password"]!.GetValue<string>());
            Assert.Equal("rabbitmq_user_" + name, one.Body!["rabbitmq_username"]!.GetValue<string>());
            Assert.False(one.Body.AsObject().ContainsKey("rabbitmq_password"));
            Assert.DoesNotContain(password, list.Body!.ToJsonString(), StringComparison.Ordinal);

            // The permissions RabbitMQ holds: the agent's exchange and queues; configure and write also on the events exchanges.
            var vhost = Uri.EscapeDataString(new Uri(amqp).AbsolutePath.TrimStart('/'));
            var permissions = JsonNode.Parse(await admin.GetStringAsync($"api/permissions/{vhost}/rabbitmq_user_{name}", Token))!;
            var ownNames = $"{name}(_(operation|service)(\\.dead-letter)?)?";
            var withEvents = $"^({ownNames}|cloudify-events-topic|cloudify-logs)$";
            Assert.Equal((withEvents, withEvents, $"^{ownNames}$"), (
                permissions["configure"]!.GetValue<string>(), permissions["write"]!.GetValue<string>(), permissions["read"]!.GetValue<string>()));

            // With that user: its own queues can be declared and read, another agent's cannot.
            await using (var own = new RabbitMqBroker(new RabbitMqOptions { Url = WithUser(amqp, "rabbitmq_user_" + name, password), OperationTimeout = TimeSpan.FromSeconds(10) }))
            {
                await own.DeclareQueueAsync(name + "_operation", QueueOptions.Default, Token);
                await own.DeclareQueueAsync(name + "_service", QueueOptions.Default, Token);
                await using (await own.ConsumeAsync(name + "_operation", (m, ct) => m.AckAsync(ct), 1, Token))
                {
                }

                var refused = await Assert.ThrowsAsync<InvalidOperationException>(
                    () => own.DeclareQueueAsync("other-agent_operation", QueueOptions.Default, Token));
                Assert.Contains("ACCESS_REFUSED", refused.Message, StringComparison.Ordinal);
            }

            // Its events and logs: it may declare Cloudify's exchanges and publish to them, never read the managers' queue.
            await using (var managers = new RabbitMqBroker(new RabbitMqOptions { Url = amqp, OperationTimeout = TimeSpan.FromSeconds(10) }))
            {
                await LogsEventsTopology.DeclareAsync(managers, Token);
            }

            await using (var agentUser = new RabbitMqBroker(new RabbitMqOptions { Url = WithUser(amqp, "rabbitmq_user_" + name, password), OperationTimeout = TimeSpan.FromSeconds(10) }))
            {
                await LogsEventsTopology.DeclareExchangesAsync(agentUser, Token);
                await agentUser.PublishToExchangeAsync(
                    LogsEventsTopology.LogsExchange, "", new OutgoingMessage { Body = "{}"u8.ToArray(), MessageId = "permission-check" }, Token);
                var unread = await Assert.ThrowsAnyAsync<Exception>(
                    async () => await agentUser.ConsumeAsync(LogsEventsTopology.Queue, (m, ct) => m.AckAsync(ct), 1, Token));
                Assert.Contains("ACCESS_REFUSED", unread.ToString(), StringComparison.Ordinal);
            }

            var deleted = await manager.Client.SendAsync(HttpMethod.Patch, $"/api/v3.1/agents/{name}", new JsonObject { ["state"] = "deleted" });
            Assert.Equal(HttpStatusCode.OK, deleted.Status);
            using var gone = await admin.GetAsync($"api/users/rabbitmq_user_{name}", Token);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            await using var cleaner = new RabbitMqBroker(new RabbitMqOptions { Url = amqp });
            await cleaner.DeleteQueueAsync(name + "_operation", Token);
            await cleaner.DeleteQueueAsync(name + "_service", Token);
        }

        // At rest the password exists only sealed: no file of the manager's data holds it in clear text.
        var needle = Encoding.UTF8.GetBytes(password);
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, Token);
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{file} holds the broker password in clear text");
        }

        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task CreateRabbitMqUser_IsRefusedClearly_WithoutAManagementUrl_AndWhenTheManagementPasswordChangedSinceStart()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        using var admin = RabbitMqManagement.Client(management);
        var operatorName = "srv-admin-" + Guid.NewGuid().ToString("N")[..12];
        var firstPassword = "first-" + Guid.NewGuid().ToString("N");
        var laterPassword = "later-" + Guid.NewGuid().ToString("N");
        await PutUserAsync(admin, operatorName, firstPassword, "administrator");
        try
        {
            await using var plain = await ManagerFixture.StartAsync();
            var operatorUrl = new UriBuilder(management) { UserName = operatorName, Password = firstPassword }.Uri.AbsoluteUri;
            var dataDir = ManagerFixture.NewDataDir();
            await using var changed = await ManagerFixture.StartAsync(
                dataDir: dataDir, options: new ManagerOptions { DataDir = dataDir, BrokerUrl = amqp, BrokerManagementUrl = operatorUrl });
            await PutUserAsync(admin, operatorName, laterPassword, "administrator");
            var name = "srv-" + Guid.NewGuid().ToString("N")[..12];

            var off = await plain.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/agents/{name}", new JsonObject { ["create_rabbitmq_user"] = true });
            var refused = await changed.Client.SendAsync(HttpMethod.Put, $"/api/v3.1/agents/{name}", new JsonObject { ["create_rabbitmq_user"] = true });
            var stored = await changed.Store.GetAgentAsync(null, name, Token);

            off.AssertError(HttpStatusCode.BadRequest, "bad_parameters_error");
            Assert.Contains("--broker-management-url", off.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            refused.AssertError(HttpStatusCode.InternalServerError, "internal_server_error");
            var message = refused.Body!["message"]!.GetValue<string>();
            Assert.Contains($"refused PUT /api/users/rabbitmq_user_{name}: 401", message, StringComparison.Ordinal);
            Assert.DoesNotContain(firstPassword, refused.Body.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(firstPassword, changed.Console.ToString(), StringComparison.Ordinal);
            Assert.Null(stored!.RabbitMqPassword);
        }
        finally
        {
            using var deleted = await admin.DeleteAsync($"api/users/{operatorName}", Token);
        }
    }

    /// <summary>Creates or updates a RabbitMQ user through the management API, with <paramref name="tags"/> (comma-separated).</summary>
    internal static async Task PutUserAsync(HttpClient admin, string username, string password, string tags)
    {
        using var response = await admin.PutAsync(
            $"api/users/{Uri.EscapeDataString(username)}",
            JsonContent.Create(new JsonObject { ["password"] = password, ["tags"] = tags }),
            Token);
        Assert.True(response.IsSuccessStatusCode, $"RabbitMQ refused to put user {username}: {(int)response.StatusCode}");
    }
}
