using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// A manager with RabbitMQ's management API and a <c>stratus agent start</c> given a broker URL without credentials:
/// the agent connects as its own broker user, which cannot read another agent's queue; a frozen agent (SIGSTOP) does
/// not answer the manager's ping, so its operation fails as recoverable and is retried until the agent runs again.
/// </summary>
public sealed class AgentBrokerUserTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AgentWithCredentiallessBrokerUrl_UsesItsOwnUser_AndAFrozenAgentIsPingedUntilItAnswers()
    {
        var (amqp, management) = RabbitMqManagement.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var vhost = await PrivateVhost.CreateAsync(amqp, management, "own-user", ct);
        amqp = vhost.AmqpUrl;
        await using var manager = new ManagerProcess(["--broker-url", amqp, "--broker-management-url", management.AbsoluteUri, "--agent-ping-timeout", "3"]);
        await manager.InitializeAsync();
        var name = "e2e-own-" + Guid.NewGuid().ToString("N")[..8];
        var bare = new UriBuilder(amqp) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        await using var agent = await AgentProcess.StartAsync(manager, name, bare);
        string Diagnostics() => $"{manager.Output}\n--- agent ---\n{agent.Output}";

        // The agent's connection is its own user's.
        using var admin = RabbitMqManagement.Client(management);
        string connections = "";
        await Waits.UntilAsync(
            async c => (connections = await admin.GetStringAsync("api/connections", c)).Contains($"\"user\":\"rabbitmq_user_{name}\"", StringComparison.Ordinal),
            "the agent's broker connection under its own user",
            TimeSpan.FromSeconds(30),
            () => connections);

        // That user reads its own queue, not another agent's.
        using var rest = new HttpClient { BaseAddress = manager.Url };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{ManagerProcess.AdminPassword}")));
        rest.DefaultRequestHeaders.Add("Tenant", "default_tenant");
        using var put = await rest.PutAsJsonAsync($"api/v3.1/agents/{name}", new JsonObject { ["create_rabbitmq_user"] = true }, ct);
        var registered = await put.Content.ReadFromJsonAsync<JsonObject>(ct);
        Assert.True(put.StatusCode == HttpStatusCode.OK, $"PUT /agents/{name}: {(int)put.StatusCode} {registered}");
        var own = new UriBuilder(amqp)
        {
            UserName = registered!["rabbitmq_username"]!.GetValue<string>(),
            Password = Uri.EscapeDataString(registered["rabbitmq_password"]!.GetValue<string>()),
        }.Uri;
        var victim = "victim-" + Guid.NewGuid().ToString("N")[..8] + "_operation";
        await using (var adminConnection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync(ct))
        await using (var adminChannel = await adminConnection.CreateChannelAsync(cancellationToken: ct))
        {
            await adminChannel.QueueDeclareAsync(victim, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            await using var connection = await new ConnectionFactory { Uri = own }.CreateConnectionAsync(ct);
            await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
            {
                Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(name + "_operation", ct)).MessageCount);
                await channel.BasicGetAsync(name + "_operation", autoAck: false, ct);
            }

            await using var refusedChannel = await connection.CreateChannelAsync(cancellationToken: ct);
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => refusedChannel.BasicGetAsync(victim, autoAck: false, ct));
            Assert.True(refused.ShutdownReason?.ReplyCode == Constants.AccessRefused, $"expected ACCESS_REFUSED, got {refused.ShutdownReason}");
            await adminChannel.QueueDeleteAsync(victim, cancellationToken: ct);
        }

        // A frozen agent: install's hosted operation is pinged, fails as recoverable, and runs once the agent is back.
        var client = manager.Client;
        var id = "own-user";
        var outDir = Path.Combine(manager.WorkDir, id);
        await client.Blueprints.UploadAsync(id, Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "pinged-agent"), cancellationToken: ct);
        var deployment = await client.Deployments.CreateAsync(id, id, new JsonObject { ["out_dir"] = outDir, ["agent_name"] = name }, ct);
        if (deployment.CreateExecution is { } creation)
        {
            Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(client, creation, "create deployment", Timeout, Diagnostics)).Status);
        }

        await agent.PauseAsync();
        var install = await client.Executions.StartAsync(id, "install", cancellationToken: ct);
        var seen = "";
        await Waits.UntilAsync(
            async c =>
            {
                var events = await client.Events.ListAsync(new EventsQuery { ExecutionId = install.Id }, c);
                seen = string.Join('\n', events.Items.Select(e => $"{e.EventTypeName}: {e.Message}"));
                return events.Items.Count(e => e.EventTypeName == "task_failed" && e.Message?.Contains($"Timed out waiting for agent {name}", StringComparison.Ordinal) == true) >= 2;
            },
            "two pings of the frozen agent to time out",
            TimeSpan.FromSeconds(60),
            () => seen);
        Assert.False(File.Exists(Path.Combine(outDir, "app.txt")), "the operation ran while its agent was frozen");
        await agent.ResumeAsync();

        var installed = await Waits.ForExecutionEndAsync(client, install.Id, "install", Timeout, Diagnostics);
        Assert.True(installed.Status == ExecutionStates.Terminated, $"install ended {installed.Status}: {installed.Error}\n{Diagnostics()}");
        Assert.Equal(name, (await File.ReadAllTextAsync(Path.Combine(outDir, "app.txt"), ct)).Trim());
        var all = await client.Events.ListAsync(new EventsQuery { ExecutionId = install.Id }, ct);
        var app = all.Items.Where(e => e.NodeName == "app" && e.EventTypeName is "task_failed" or "task_succeeded").Select(e => e.EventTypeName).ToList();
        Assert.True(app.Count >= 3 && app[^1] == "task_succeeded" && app[..^1].All(t => t == "task_failed"), string.Join(", ", app));
    }
}
