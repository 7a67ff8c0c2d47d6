using System.Diagnostics;
using System.Globalization;

namespace Stratus.Bench;

/// <summary>
/// B3 (many one-node deployments installed at once, left to the manager's concurrency limit) and B8 (many executions
/// started at once over a few deployments: all but one per deployment wait in the queue).
/// </summary>
internal static class ExecutionWorkloads
{
    private const int Clients = 16;

    public static async Task<int> RunB3Async(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var api = new BenchApi(options.Url, options.User, options.Password);
        var (blueprint, ids) = await CreateDeploymentsAsync(api, "b3", options.Deployments, output, cancellationToken);
        var before = await api.CountExecutionsAsync("install", "terminated", cancellationToken);
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, Clients16(cancellationToken), async (id, ct) => await api.StartExecutionAsync(id, "install", queue: false, ct));
        var submitted = total.Elapsed;
        var (done, failed) = await WaitAsync(api, "install", before, ids.Count, cancellationToken);
        total.Stop();
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"B3 blueprint={blueprint} deployments={ids.Count} installs_terminated={done} failed={failed}"));
        await output.WriteLineAsync(string.Create(
            inv, $"{ids.Count} installs submitted in {submitted.TotalSeconds:F2}s by {Clients} clients; all ended after {total.Elapsed.TotalSeconds:F2}s"));
        await output.WriteLineAsync(string.Create(inv, $"throughput {done / total.Elapsed.TotalSeconds:F1} installs/s = {done * 3600 / total.Elapsed.TotalSeconds:F0} installs/hour"));
        await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
        return done == ids.Count && failed == 0 ? 0 : 1;
    }

    public static async Task<int> RunB8Async(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var api = new BenchApi(options.Url, options.User, options.Password);
        var (_, ids) = await CreateDeploymentsAsync(api, "b8", options.Deployments, output, cancellationToken);
        var before = await api.CountExecutionsAsync("install", "terminated", cancellationToken);
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Executions), Clients16(cancellationToken), async (i, ct) => await api.StartExecutionAsync(ids[i % ids.Count], "install", queue: true, ct));
        var submitted = total.Elapsed;
        var queuedAtEnd = await api.CountExecutionsAsync("install", "queued", cancellationToken);
        var (done, failed) = await WaitAsync(api, "install", before, options.Executions, cancellationToken);
        total.Stop();
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"B8 deployments={ids.Count} executions={options.Executions} terminated={done} failed={failed}"));
        await output.WriteLineAsync(string.Create(
            inv, $"submitted in {submitted.TotalSeconds:F2}s ({options.Executions / submitted.TotalSeconds:F0} starts/s, {Clients} clients); {queuedAtEnd} still queued then"));
        await output.WriteLineAsync(string.Create(inv, $"all ended after {total.Elapsed.TotalSeconds:F2}s: {done / total.Elapsed.TotalSeconds:F1} executions/s"));
        await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
        return done == options.Executions && failed == 0 ? 0 : 1;
    }

    private static async Task<(string Blueprint, List<string> Ids)> CreateDeploymentsAsync(
        BenchApi api, string prefix, int count, TextWriter output, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("stratus-" + prefix + "-");
        try
        {
            NoOpBlueprint.Write(dir.FullName, 1, 1);
            var blueprint = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
            await api.UploadBlueprintAsync(blueprint, dir.FullName, cancellationToken);
            var ids = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{blueprint}-{i:D5}")).ToList();
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(ids, Clients16(cancellationToken), async (id, ct) => await api.CreateDeploymentAsync(id, blueprint, ct));
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"{count} deployments created in {watch.Elapsed.TotalSeconds:F2}s ({count / watch.Elapsed.TotalSeconds:F0}/s)"));
            return (blueprint, ids);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Polls the terminated and failed totals until <paramref name="expected"/> more have ended.</summary>
    private static async Task<(int Done, int Failed)> WaitAsync(BenchApi api, string workflowId, int before, int expected, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            var done = await api.CountExecutionsAsync(workflowId, "terminated", cancellationToken) - before;
            var failed = await api.CountExecutionsAsync(workflowId, "failed", cancellationToken);
            if (done + failed >= expected)
            {
                return (done, failed);
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    private static ParallelOptions Clients16(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken };
}
