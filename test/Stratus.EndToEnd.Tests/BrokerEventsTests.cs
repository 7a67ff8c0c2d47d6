using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Events and logs through RabbitMQ: a standalone agent publishes its operations' log lines to
/// <c>cloudify-logs</c> / <c>cloudify-events-topic</c> and the managers store them from <c>cloudify-logs-events</c> in
/// batches. PostgreSQL, or RabbitMQ, is restarted mid-install; the install ends terminated and every line the scripts
/// wrote is stored once per run of its step (each step records its runs in a file).
/// </summary>
public sealed class BrokerEventsTests
{
    private const int Lines = 60;
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Steps = ["step1", "step2", "step3"];
    private static readonly string Blueprint = Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "chatty-agent");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RestartingPostgreSql_MidInstall_EveryAgentLogLineIsStoredOnce()
    {
        await using var services = await PrivateServices.StartAsync();
        await RunAcrossOutageAsync(services, "pgchatty", services.RestartPostgresAsync);
    }

    [Fact]
    public async Task RestartingRabbitMq_MidInstall_EveryAgentLogLineIsStoredOnce()
    {
        await using var services = await PrivateServices.StartAsync();
        await RunAcrossOutageAsync(services, "mqchatty", services.RestartRabbitMqAsync);
    }

    private static async Task RunAcrossOutageAsync(PrivateServices services, string id, Func<Task> outage)
    {
        await using var cluster = await ManagerCluster.StartAsync(services);
        var agentName = id + "-agent";
        await using var agent = await AgentProcess.StartAsync(cluster.Managers[0], agentName, services.RabbitMqUrl, "--events-via", "broker");
        var record = Path.Combine(cluster.ScratchDir, "runs.txt");
        var client = cluster.Managers[0].Client;
        string Diagnostics() => $"{cluster.Output}\n--- agent ---\n{agent.Output}";
        // Both managers are current, so the agent, which sends one message per line until it knows, learns from
        // GET /managers (with its own credentials) that it may send batches.
        await agent.WaitForLineAsync(l => l.Contains("now publishes events and logs as one batch message per exchange", StringComparison.Ordinal))
            .WaitAsync(TimeSpan.FromSeconds(60), Token)
            .ContinueWith(
                t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException($"agent {agentName} did not switch to batch messages within 60 s\n{Diagnostics()}"),
                TaskScheduler.Default);

        await client.Blueprints.UploadAsync(id, Blueprint, cancellationToken: Token);
        var deployment = await client.Deployments.CreateAsync(
            id, id, new JsonObject { ["agent_name"] = agentName, ["record"] = record, ["lines"] = $"{Lines}" }, Token);
        if (deployment.CreateExecution is { } creation)
        {
            Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(client, creation, "create deployment", InstallTimeout, Diagnostics)).Status);
        }

        var install = (await client.Executions.StartAsync(id, "install", cancellationToken: Token)).Id;
        var runs = "";
        await Waits.UntilAsync(
            async ct => (runs = File.Exists(record) ? await File.ReadAllTextAsync(record, ct) : "").Contains("start step2", StringComparison.Ordinal),
            "step2 to start logging",
            InstallTimeout,
            () => $"{runs}\n{Diagnostics()}");
        await outage();

        var ended = await Waits.ForExecutionEndAsync(cluster.Managers[1].Client, install, $"install of {id} across the outage", InstallTimeout, Diagnostics, duringOutage: true);
        runs = await File.ReadAllTextAsync(record, Token);
        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{runs}");

        // Lines are batched (0.5 s) by several batchers on each manager, each committing on its own, so the last line
        // being visible says nothing of the others: wait until every line of every run is, then count them all.
        var expected = Steps.ToDictionary(s => s, s => Starts(runs, s));
        IReadOnlyList<CloudifyEvent> logs = [];
        await Waits.UntilAsync(
            async ct =>
            {
                logs = await ChattyLinesAsync(cluster.Managers[1].Client, install, ct);
                var stored = logs.CountBy(l => l.Message!).ToDictionary(StringComparer.Ordinal);
                return Steps.All(s => Enumerable.Range(1, Lines).All(i => stored.GetValueOrDefault($"chatty {s} line {i}") >= expected[s]));
            },
            "every log line of every run to be stored",
            TimeSpan.FromSeconds(60),
            () => $"{logs.Count} chatty lines stored; missing: {Missing(logs, expected)}; runs:\n{runs}\n{QueueStateAsync(services).GetAwaiter().GetResult()}\n{Diagnostics()}");
        logs = await ChattyLinesAsync(cluster.Managers[0].Client, install, Token);

        foreach (var step in Steps)
        {
            Assert.True(expected[step] >= 1, $"{step} never ran:\n{runs}");
            for (var i = 1; i <= Lines; i++)
            {
                var text = $"chatty {step} line {i}";
                var stored = logs.Count(l => l.Message == text);
                Assert.True(stored == expected[step], $"'{text}' stored {stored} times for {expected[step]} run(s) of {step}\n{await QueueStateAsync(services)}\n{Diagnostics()}");
            }
        }

        Assert.Equal(Steps.Sum(s => expected[s]) * Lines, logs.Count);
    }

    private static async Task<IReadOnlyList<CloudifyEvent>> ChattyLinesAsync(StratusClient client, string executionId, CancellationToken cancellationToken)
    {
        var page = await client.Events.ListAsync(new EventsQuery { ExecutionId = executionId, IncludeLogs = true, Size = 1000 }, cancellationToken);
        return [.. page.Items.Where(e => e.IsLog && e.Message?.StartsWith("chatty ", StringComparison.Ordinal) == true)];
    }

    /// <summary>Where undelivered lines could be: ready in the managers' queue, or dead-lettered.</summary>
    private static async Task<string> QueueStateAsync(PrivateServices services)
    {
        try
        {
            var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(services.RabbitMqUrl) };
            await using var connection = await factory.CreateConnectionAsync(CancellationToken.None);
            var lines = new List<string>();
            foreach (var queue in new[] { LogsEventsQueue, LogsEventsQueue + ".dead-letter" })
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: CancellationToken.None);
                try
                {
                    var state = await channel.QueueDeclarePassiveAsync(queue, CancellationToken.None);
                    lines.Add($"{queue}: {state.MessageCount} ready, {state.ConsumerCount} consumers");
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e)
                {
                    lines.Add($"{queue}: {e.ShutdownReason?.ReplyText}");
                }
            }

            lines.Add(await ManagementStateAsync(services));
            return string.Join('\n', lines);
        }
#pragma warning disable CA1031 // Diagnostics only: the assertion that called it is what fails the test.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return "queue state unavailable: " + e.Message;
        }
    }

    private const string LogsEventsQueue = "cloudify-logs-events";

    /// <summary>Which lines are not stored as often as their step ran, as step:first-last ranges.</summary>
    private static string Missing(IReadOnlyList<CloudifyEvent> logs, Dictionary<string, int> expected)
    {
        var stored = logs.CountBy(l => l.Message!).ToDictionary(StringComparer.Ordinal);
        var ranges = new List<string>();
        foreach (var step in Steps)
        {
            var missing = Enumerable.Range(1, Lines).Where(i => stored.GetValueOrDefault($"chatty {step} line {i}") < expected[step]).ToList();
            var start = 0;
            for (var i = 0; i < missing.Count; i++)
            {
                if (i == missing.Count - 1 || missing[i + 1] != missing[i] + 1)
                {
                    ranges.Add(missing[start] == missing[i] ? $"{step}:{missing[i]}" : $"{step}:{missing[start]}-{missing[i]}");
                    start = i + 1;
                }
            }
        }

        return ranges.Count == 0 ? "none" : string.Join(", ", ranges);
    }

    /// <summary>
    /// The queue as the management API counts it: published, delivered, acked, unacked (held by a consumer) and each
    /// consumer's connection, so a line missing from the store can be placed (never published, held, or acked).
    /// </summary>
    private static async Task<string> ManagementStateAsync(PrivateServices services)
    {
        if (services.RabbitMqManagementUrl is not { } management)
        {
            return "management API: not provisioned";
        }

        using var client = RabbitMqManagement.Client(management);
        var queue = JsonNode.Parse(await client.GetStringAsync($"api/queues/stratus-test/{LogsEventsQueue}", CancellationToken.None))!;
        var stats = queue["message_stats"];
        var consumers = queue["consumer_details"] is JsonArray details
            ? string.Join("; ", details.Select(d => $"{d?["channel_details"]?["connection_name"]} prefetch {d?["prefetch_count"]}"))
            : "";
        return $"management: ready {queue["messages_ready"]}, unacked {queue["messages_unacknowledged"]}, "
            + $"published {stats?["publish"]}, delivered {stats?["deliver_get"]}, redelivered {stats?["redeliver"]}, acked {stats?["ack"]}; "
            + $"consumers: {consumers}";
    }

    private static int Starts(string runs, string step) =>
        runs.Split('\n').Count(l => l.StartsWith($"start {step} ", StringComparison.Ordinal));
}
