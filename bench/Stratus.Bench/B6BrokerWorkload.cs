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
/// the key as message id); the
/// manager stores them from <c>cloudify-logs-events</c>. "Until visible" is read by polling the stored count every
/// 100 ms (or four times the last count's duration, when longer): the k-th message published is taken as visible when k rows are stored (one queue, stored in order), so it is
/// the lag from its confirmed publish to that poll.
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
        var factory = new ConnectionFactory { Uri = new Uri(options.BrokerUrl!) };
        await using var connection = await factory.CreateConnectionAsync("stratus-bench-b6", cancellationToken);

        // Confirmed publish times, in the order the confirms arrived (index k: the (k+1)-th message confirmed).
        var confirmedAt = new List<double>();
        var cpuBefore = ProcessCpu.Used(options.Pid);
        var gate = new Lock();
        var clock = Stopwatch.StartNew();
        using var stopPolling = new CancellationTokenSource();
        var visibleAt = new List<(double At, long Count)>();
        var poller = Task.Run(
            async () =>
            {
                while (!stopPolling.IsCancellationRequested)
                {
                    var asked = clock.Elapsed;
                    var count = await api.CountEventsAsync(executionId, CancellationToken.None) - before;
                    var answered = clock.Elapsed;
                    lock (gate)
                    {
                        visibleAt.Add((answered.TotalMilliseconds, count));
                    }

                    try
                    {
                        // Every 100 ms, but spaced by four times the last count's duration (at most 500 ms) when the
                        // count is slow: it grows with the table (about 1 s at 1.8 million rows on this box), and
                        // polling back to back would take a core from the inserts it measures. The cap bounds the
                        // error a single slow answer adds to "until visible".
                        await Task.Delay(Clamp(4 * (answered - asked), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)), stopPolling.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            },
            CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, options.Senders).Select(s => Task.Run(
            async () =>
            {
                await using var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
                var seq = 0;
                while (clock.Elapsed < options.Duration)
                {
                    var lines = Enumerable.Range(seq, options.Batch).Select(i => Message(executionId, s, i)).ToList();
                    seq += options.Batch;
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
                    var now = clock.Elapsed.TotalMilliseconds;
                    lock (gate)
                    {
                        confirmedAt.AddRange(Enumerable.Repeat(now, options.Batch));
                    }
                }
            },
            cancellationToken)));
        var published = clock.Elapsed;
        var total = confirmedAt.Count;
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (!drain.IsCancellationRequested && LastCount() < total)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }

        var allStored = clock.Elapsed;

        long LastCount()
        {
            lock (gate)
            {
                return visibleAt.Count == 0 ? -1 : visibleAt[^1].Count;
            }
        }

        await stopPolling.CancelAsync();
        await poller;
        var stored = await api.CountEventsAsync(executionId, cancellationToken) - before;
        var cpuAfter = ProcessCpu.Used(options.Pid);

        // Lag of message k: first poll whose count exceeds k, minus its confirm time.
        var lags = new List<double>(total);
        var p = 0;
        for (var k = 0; k < total; k++)
        {
            while (p < visibleAt.Count && visibleAt[p].Count <= k)
            {
                p++;
            }

            if (p < visibleAt.Count)
            {
                lags.Add(Math.Max(0, visibleAt[p].At - confirmedAt[k]));
            }
        }

        var widestGap = 0.0;
        for (var i = 1; i < visibleAt.Count; i++)
        {
            widestGap = Math.Max(widestGap, visibleAt[i].At - visibleAt[i - 1].At);
        }

        lags.Sort();
        double Percentile(double q) => lags.Count == 0 ? 0 : lags[Math.Min(lags.Count - 1, (int)(q * lags.Count))];
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"B6 via broker senders={options.Senders} batch={options.Batch} wire={options.Wire} seconds={published.TotalSeconds:F1} sent={total} stored={stored} (all stored after {allStored.TotalSeconds:F1} s)"));
        await output.WriteLineAsync(string.Create(inv, $"published {total / published.TotalSeconds:F0} events/s; stored {stored / allStored.TotalSeconds:F0} events/s sustained; until visible (confirm until counted) p50 {Percentile(0.5):F0} ms, p99 {Percentile(0.99):F0} ms, max {(lags.Count == 0 ? 0 : lags[^1]):F0} ms (widest gap between two polls {widestGap:F0} ms)"));
        await output.WriteLineAsync(ProcessCpu.Describe(cpuBefore, cpuAfter, stored));
        await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
        return stored == total ? 0 : 1;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

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
    private static (string Exchange, string RoutingKey, byte[] Body, string Id) Message(string executionId, int sender, int seq)
    {
        var inv = CultureInfo.InvariantCulture;
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv);
        var key = string.Create(inv, $"b6-{sender}-{seq}");
        var context = string.Create(
            inv,
            $$"""{"execution_id":"{{executionId}}","node_id":"node_1","node_name":"node","operation":"cloudify.interfaces.lifecycle.start"}""");
        return seq % 2 == 0
            ? (LogsExchange, "", Encoding.UTF8.GetBytes(string.Create(
                inv,
                $$"""{"context":{{context}},"logger":"ctx","level":"info","timestamp":"{{now}}","type":"cloudify_log","message":{"text":"sender {{sender}} line {{seq}}"},"idempotency_key":"{{key}}"}""")), key)
            : (EventsExchange, "events", Encoding.UTF8.GetBytes(string.Create(
                inv,
                $$"""{"context":{{context}},"event_type":"sending_task","timestamp":"{{now}}","type":"cloudify_event","message":{"text":"sender {{sender}} event {{seq}}"},"idempotency_key":"{{key}}"}""")), key);
    }
}
