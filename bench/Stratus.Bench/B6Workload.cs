using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Stratus.Bench;

/// <summary>
/// B6: event and log ingestion from many senders. <c>--senders</c> clients each post batches of <c>--batch</c> events
/// and logs (as agents do, each with an idempotency key) for <c>--seconds</c>. The manager answers 201 only once a
/// batch is committed, so a POST's latency is the time until its events are visible; the stored total is checked
/// against what was sent (each event stored once).
/// </summary>
internal static class B6Workload
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.BrokerUrl is not null)
        {
            return await B6BrokerWorkload.RunAsync(options, output, cancellationToken);
        }

        using var api = new BenchApi(options.Url, options.User, options.Password);
        var executionId = await PrepareExecutionAsync(api, cancellationToken);
        var before = await api.CountEventsAsync(executionId, cancellationToken);
        var latencies = new List<double>[options.Senders];
        var sent = new long[options.Senders];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Senders).Select(s => Task.Run(
            async () =>
            {
                latencies[s] = [];
                var seq = 0;
                while (clock.Elapsed < options.Duration)
                {
                    var body = Batch(executionId, s, ref seq, options.Batch);
                    var started = clock.Elapsed;
                    await api.PostEventsAsync(body, cancellationToken);
                    latencies[s].Add((clock.Elapsed - started).TotalMilliseconds);
                    sent[s] += options.Batch;
                }
            },
            cancellationToken)));
        var elapsed = clock.Elapsed;
        var stored = await api.CountEventsAsync(executionId, cancellationToken) - before;
        var total = sent.Sum();
        var all = latencies.SelectMany(l => l).Order().ToList();
        double Percentile(double p) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)(p * all.Count))];
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"B6 senders={options.Senders} batch={options.Batch} seconds={elapsed.TotalSeconds:F1} sent={total} stored={stored}"));
        await output.WriteLineAsync(string.Create(inv, $"sustained {total / elapsed.TotalSeconds:F0} events/s; until visible (POST until committed) p50 {Percentile(0.5):F0} ms, p99 {Percentile(0.99):F0} ms, max {(all.Count == 0 ? 0 : all[^1]):F0} ms"));
        await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
        return stored == total ? 0 : 1;
    }

    /// <summary>An execution that ended before the senders start, so its own events are not counted as theirs.</summary>
    public static async Task<string> PrepareExecutionAsync(BenchApi api, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("stratus-b6-");
        try
        {
            NoOpBlueprint.Write(dir.FullName, 1, 1);
            var id = "b6-" + Guid.NewGuid().ToString("N")[..8];
            await api.UploadBlueprintAsync(id, dir.FullName, cancellationToken);
            await api.CreateDeploymentAsync(id, id, cancellationToken);
            return await api.RunWorkflowAsync(id, "install", cancellationToken);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static JsonObject Batch(string executionId, int sender, ref int seq, int size)
    {
        var events = new JsonArray();
        var logs = new JsonArray();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < size; i++, seq++)
        {
            var context = new JsonObject { ["node_id"] = "node_1", ["node_name"] = "node", ["operation"] = "cloudify.interfaces.lifecycle.start" };
            var key = string.Create(CultureInfo.InvariantCulture, $"b6-{sender}-{seq}");
            if (seq % 2 == 0)
            {
                logs.Add(new JsonObject
                {
                    ["context"] = context, ["logger"] = "ctx", ["level"] = "info", ["timestamp"] = now,
                    ["message"] = new JsonObject { ["text"] = $"sender {sender} line {seq}" }, ["idempotency_key"] = key,
                });
            }
            else
            {
                events.Add(new JsonObject
                {
                    ["context"] = context, ["event_type"] = "sending_task", ["timestamp"] = now,
                    ["message"] = new JsonObject { ["text"] = $"sender {sender} event {seq}" }, ["idempotency_key"] = key,
                });
            }
        }

        return new JsonObject { ["execution_id"] = executionId, ["events"] = events, ["logs"] = logs, ["agent_name"] = $"bench-{sender}" };
    }
}
