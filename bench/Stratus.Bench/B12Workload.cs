using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Stratus.Bench;

/// <summary>
/// B12: N simulated agents, one operation each. A deployment of N Compute hosts with <c>provided</c> agents, each
/// holding one application whose create runs on the host's agent; the agents live in this process
/// (<see cref="SimulatedAgents"/>) and register and heartbeat over REST as the real agent does. Install then creates
/// the N agents (the manager waits for each to be started and heartbeating) and sends each its operation. Measured:
/// each operation's dispatch latency, from the manager's <c>sending_task</c> event (stored just before the publish)
/// to the agent's receipt (same machine, same clock), and the whole install. Every operation must arrive exactly once.
/// </summary>
internal static class B12Workload
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var brokerUrl = options.BrokerUrl ?? throw new ArgumentException("b12 needs --broker-url amqp://... (the manager's RabbitMQ)");
        var inv = CultureInfo.InvariantCulture;
        using var api = new BenchApi(options.Url, options.User, options.Password);
        var id = "b12-" + Guid.NewGuid().ToString("N")[..8];
        var dir = Directory.CreateTempSubdirectory("stratus-b12-");
        var watch = Stopwatch.StartNew();
        try
        {
            AgentBlueprint.Write(dir.FullName, options.Agents);
            await api.UploadBlueprintAsync(id, dir.FullName, cancellationToken);
            await api.CreateDeploymentAsync(id, id, cancellationToken);
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        var deployed = watch.Elapsed;
        var hosts = (await api.ListAllAsync($"node-instances?deployment_id={id}&node_id={AgentBlueprint.HostNode}&_include=id", cancellationToken))
            .Select(i => (string)i["id"]!).ToList();
        var appHost = (await api.ListAllAsync($"node-instances?deployment_id={id}&node_id={AgentBlueprint.AppNode}&_include=id,host_id", cancellationToken))
            .ToDictionary(i => (string)i["id"]!, i => (string)i["host_id"]!, StringComparer.Ordinal);
        if (hosts.Count != options.Agents || appHost.Count != options.Agents)
        {
            await output.WriteLineAsync(string.Create(inv, $"B12: expected {options.Agents} hosts and apps, the deployment has {hosts.Count} and {appHost.Count}"));
            return 1;
        }

        watch.Restart();
        await using var agents = await SimulatedAgents.StartAsync(brokerUrl, hosts, options.AgentsPerConnection, options.Parallelism, time, cancellationToken);
        var connected = watch.Elapsed;
        watch.Restart();
        await ForEachAgentAsync(hosts, options.Parallelism, (name, token) => RegisterAsync(api, name, token), cancellationToken);
        var registered = watch.Elapsed;

        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var beating = HeartbeatAsync(api, hosts, options.Parallelism, options.Heartbeat, time, heartbeats.Token);
        watch.Restart();
        string executionId;
        try
        {
            executionId = await api.RunWorkflowAsync(id, "install", cancellationToken);
        }
        finally
        {
            await heartbeats.CancelAsync();
            await beating;
        }

        var install = watch.Elapsed;
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var events = await api.ListAllAsync(
            $"events?execution_id={executionId}&event_type=sending_task&_include=node_instance_id,operation,reported_timestamp&_sort=_storage_id",
            cancellationToken);
        foreach (var e in events.Where(e => (string?)e["operation"] == AgentBlueprint.AppOperation))
        {
            sent[(string)e["node_instance_id"]!] = DateTimeOffset.Parse((string)e["reported_timestamp"]!, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        }

        var receipts = agents.Receipts.ToList();
        var byApp = receipts.Where(r => r.NodeInstanceId is not null && r.Operation == AgentBlueprint.AppOperation && appHost.ContainsKey(r.NodeInstanceId))
            .GroupBy(r => r.NodeInstanceId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var once = byApp.Count(g => g.Value.Count == 1 && g.Value[0].Agent == appHost[g.Key]);
        var duplicates = byApp.Sum(g => g.Value.Count - 1);
        var misrouted = byApp.Count(g => g.Value.Any(r => r.Agent != appHost[g.Key]));
        var stray = receipts.Count - byApp.Sum(g => g.Value.Count);
        var latencies = byApp.Where(g => sent.ContainsKey(g.Key))
            .Select(g => (g.Value[0].ReceivedAt - sent[g.Key]).TotalMilliseconds).Order().ToList();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];

        await output.WriteLineAsync(string.Create(inv, $"B12 agents={options.Agents} amqp_connections={agents.Connections} channels={hosts.Count} execution={executionId}"));
        await output.WriteLineAsync(string.Create(
            inv, $"upload+create {deployed.TotalSeconds:F2}s | agents consuming (2 quorum queues, 1 classic queue, 1 exchange each) {connected.TotalSeconds:F2}s | registered over REST (PUT, PATCH started, heartbeat) {registered.TotalSeconds:F2}s"));
        if (sent.Count > 0)
        {
            var first = sent.Values.Min();
            var last = sent.Values.Max();
            var lastReceived = byApp.Count == 0 ? last : byApp.Values.Max(r => r[0].ReceivedAt);
            await output.WriteLineAsync(string.Create(
                inv, $"install {install.TotalSeconds:F2}s | app operations sent over {(last - first).TotalSeconds:F2}s ({sent.Count / Math.Max((last - first).TotalSeconds, 0.001):F0}/s), first sent to last received {(lastReceived - first).TotalSeconds:F2}s"));
        }

        await output.WriteLineAsync(string.Create(
            inv, $"dispatch latency (sending_task event -> agent received) p50 {Percentile(0.5):F1} ms, p99 {Percentile(0.99):F1} ms, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):F1} ms, mean {(latencies.Count == 0 ? double.NaN : latencies.Average()):F1} ms over {latencies.Count}"));
        await output.WriteLineAsync(string.Create(
            inv, $"received exactly once by the right agent {once}/{options.Agents}; duplicates {duplicates}; misrouted {misrouted}; stray {stray}; redelivered {receipts.Count(r => r.Redelivered)}; sending_task events {sent.Count}"));
        await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
        return once == options.Agents && duplicates == 0 && stray == 0 && latencies.Count == options.Agents ? 0 : 1;
    }

    /// <summary>As <c>stratus agent start</c> registers: PUT (starting, provided), PATCH to started, first heartbeat.</summary>
    private static async Task RegisterAsync(BenchApi api, string name, CancellationToken cancellationToken)
    {
        await api.SendAgentAsync(
            HttpMethod.Put, name, "", new JsonObject { ["state"] = "starting", ["install_method"] = "provided", ["version"] = "0.0.0", ["system"] = "b12" }, cancellationToken);
        await api.SendAgentAsync(HttpMethod.Patch, name, "", new JsonObject { ["state"] = "started" }, cancellationToken);
        await api.SendAgentAsync(HttpMethod.Post, name, "/heartbeat", null, cancellationToken);
    }

    /// <summary>Every agent beats once per <paramref name="interval"/> (the real agent's default is 10 s), a bounded number at a time.</summary>
    private static async Task HeartbeatAsync(
        BenchApi api, IReadOnlyList<string> names, int parallelism, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await ForEachAgentAsync(names, parallelism, (name, token) => api.SendAgentAsync(HttpMethod.Post, name, "/heartbeat", null, token), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Install ended.
        }
    }

    private static Task ForEachAgentAsync(IReadOnlyList<string> names, int parallelism, Func<string, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            names,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (name, token) => await call(name, token));
}
