using System.Diagnostics;
using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Stratus.Bench;

/// <summary>
/// B6 through the broker (<c>b6 --broker-url</c>): <c>--senders</c> AMQP channels each publish batches of <c>--batch</c>
/// events and logs to <c>cloudify-events-topic</c> / <c>cloudify-logs</c> (persistent, publisher confirms, an idempotency
/// key in every line), for <c>--seconds</c>: with <c>--wire batch</c> as Stratus's agents do (a batch's events in one
/// message, its logs in another, JSON arrays), with <c>--wire line</c> as Cloudify's senders do (one message per line,
/// the key as message id); the manager stores them from <c>cloudify-logs-events</c>. "Until visible" is measured on
/// marked lines riding in the load's batches (<see cref="VisibilityProbe"/>); the load is counted only to know when it
/// is all stored.
/// </summary>
internal static class B6BrokerWorkload
{
    private const string EventsExchange = "cloudify-events-topic";
    private const string LogsExchange = "cloudify-logs";

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var api = new BenchApi(options.Url, options.User, options.Password);
        var executionId = await B6Workload.PrepareExecutionAsync(api, cancellationToken);
        var before = await api.CountEventsAsync(executionId, cancellationToken);
        var clock = Stopwatch.StartNew();
        var probe = new VisibilityProbe(await B6Workload.PrepareExecutionAsync(api, cancellationToken), clock);
        var factory = new ConnectionFactory { Uri = new Uri(options.BrokerUrl!) };
        await using var connection = await factory.CreateConnectionAsync("stratus-bench-b6", cancellationToken);

        var sent = new long[options.Senders];
        var cpuBefore = ProcessCpu.Used(options.Pid);
        clock.Restart();
        using var stopPolling = new CancellationTokenSource();
        var poller = Task.Run(() => probe.PollAsync(api, stopPolling.Token), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, options.Senders).Select(s => Task.Run(
            async () =>
            {
                await using var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
                var seq = 0;
                var interval = options.Rate is { } rate ? TimeSpan.FromSeconds((double)options.Batch * options.Senders / rate) : TimeSpan.Zero;
                for (var k = 0; clock.Elapsed < options.Duration; k++)
                {
                    // Senders are spread over the interval (sender s at s/senders of it), not all at its start.
                    if (interval * (k + ((double)s / options.Senders)) - clock.Elapsed is { Ticks: > 0 } ahead)
                    {
                        await Task.Delay(ahead, cancellationToken);
                    }

                    var lines = Enumerable.Range(seq, options.Batch).Select(i => Message(executionId, s, i, null)).ToList();
                    seq += options.Batch;
                    var marked = probe.TakeDue();
                    if (marked is { } number)
                    {
                        lines.Add(Message(probe.ExecutionId, s, number, VisibilityProbe.Text(number)));
                    }

                    var messages = options.Wire == "line"
                        ? lines.Select(l => (l.Exchange, l.RoutingKey, l.Body, (string?)l.Id))
                        : lines.GroupBy(l => (l.Exchange, l.RoutingKey)).Select(g => (g.Key.Exchange, g.Key.RoutingKey, ArrayOf(g.Select(l => l.Body)), (string?)null));
                    var sends = new List<Task>(options.Batch);
                    foreach (var (exchange, key, body, id) in messages)
                    {
                        var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = id };
                        sends.Add(channel.BasicPublishAsync(exchange, key, mandatory: true, properties, body, cancellationToken).AsTask());
                    }

                    await Task.WhenAll(sends);
                    sent[s] += options.Batch;
                    if (marked is { } confirmed)
                    {
                        probe.Confirmed(confirmed, clock.Elapsed.TotalMilliseconds);
                    }
                }
            },
            cancellationToken)));
        var published = clock.Elapsed;
        var total = sent.Sum();

        // Drained: the load counted in full (a count every 500 ms: it grows slow with the table) and every probe seen.
        var stored = 0L;
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (!drain.IsCancellationRequested)
            {
                stored = await api.CountEventsAsync(executionId, CancellationToken.None) - before;
                if (stored >= total && probe.AllSeen())
                {
                    break;
                }

                await Task.Delay(500, CancellationToken.None);
            }
        }

        var allStored = clock.Elapsed;
        await stopPolling.CancelAsync();
        await poller;
        var cpuAfter = ProcessCpu.Used(options.Pid);
        var (lags, unseen, slowestPoll) = probe.Result(options.Warmup);
        double Percentile(double q) => lags.Count == 0 ? 0 : lags[Math.Min(lags.Count - 1, (int)(q * lags.Count))];
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"B6 via broker senders={options.Senders} batch={options.Batch} wire={options.Wire} rate={(options.Rate is { } r ? r.ToString(inv) : "unpaced")} seconds={published.TotalSeconds:F1} sent={total} stored={stored} (all stored after {allStored.TotalSeconds:F1} s)"));
        await output.WriteLineAsync(string.Create(inv, $"published {total / published.TotalSeconds:F0} events/s; stored {stored / allStored.TotalSeconds:F0} events/s sustained"));
        await output.WriteLineAsync(string.Create(inv, $"until visible (confirmed publish until listed, {lags.Count} marked lines{(options.Warmup > TimeSpan.Zero ? string.Create(inv, $" after a {options.Warmup.TotalSeconds:F0} s warm-up") : "")}, one per {VisibilityProbe.Interval.TotalMilliseconds:F0} ms): p50 {Percentile(0.5):F0} ms, p90 {Percentile(0.9):F0} ms, p99 {Percentile(0.99):F0} ms, max {(lags.Count == 0 ? 0 : lags[^1]):F0} ms; never seen {unseen}; slowest listing {slowestPoll:F0} ms"));
        if (Environment.GetEnvironmentVariable("STRATUS_B6_TIMELINE") is { Length: > 0 } timelinePath)
        {
            // Diagnosis: when each marked line was confirmed and how long it took (a stall shows as a ramp of lags).
            await File.WriteAllLinesAsync(
                timelinePath,
                probe.Timeline().Select(t => string.Create(inv, $"{t.Probe} {t.ConfirmedAt:F0} {t.Lag:F0}")),
                cancellationToken);
        }

        await output.WriteLineAsync(ProcessCpu.Describe(cpuBefore, cpuAfter, stored));
        await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
        return stored == total && unseen == 0 ? 0 : 1;
    }

    /// <summary>The JSON array of <paramref name="items"/> (each already a JSON object), as an agent publishes a batch.</summary>
    private static byte[] ArrayOf(IEnumerable<byte[]> items)
    {
        using var body = new MemoryStream();
        body.WriteByte((byte)'[');
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                body.WriteByte((byte)',');
            }

            body.Write(item);
            first = false;
        }

        body.WriteByte((byte)']');
        return body.ToArray();
    }

    /// <summary>
    /// One line as an agent writes it, written straight to UTF-8 (no JSON tree per message: the bench shares the
    /// manager's cores, so its own cost per message must stay small next to the manager's).
    /// </summary>
    private static (string Exchange, string RoutingKey, byte[] Body, string Id) Message(string executionId, int sender, int seq, string? probeText)
    {
        var inv = CultureInfo.InvariantCulture;
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv);
        var key = probeText is null ? string.Create(inv, $"b6-{sender}-{seq}") : string.Create(inv, $"b6-probe-{seq}");
        var context = string.Create(
            inv,
            $$"""{"execution_id":"{{executionId}}","node_id":"node_1","node_name":"node","operation":"cloudify.interfaces.lifecycle.start"}""");
        if (probeText is not null)
        {
            return (EventsExchange, "events", Encoding.UTF8.GetBytes(string.Create(
                inv,
                $$"""{"context":{{context}},"event_type":"sending_task","timestamp":"{{now}}","type":"cloudify_event","message":{"text":"{{probeText}}"},"idempotency_key":"{{key}}"}""")), key);
        }

        return seq % 2 == 0
            ? (LogsExchange, "", Encoding.UTF8.GetBytes(string.Create(
                inv,
                $$"""{"context":{{context}},"logger":"ctx","level":"info","timestamp":"{{now}}","type":"cloudify_log","message":{"text":"sender {{sender}} line {{seq}}"},"idempotency_key":"{{key}}"}""")), key)
            : (EventsExchange, "events", Encoding.UTF8.GetBytes(string.Create(
                inv,
                $$"""{"context":{{context}},"event_type":"sending_task","timestamp":"{{now}}","type":"cloudify_event","message":{"text":"sender {{sender}} event {{seq}}"},"idempotency_key":"{{key}}"}""")), key);
    }
}
