using System.Diagnostics;
using System.Globalization;

namespace Stratus.Bench;

/// <summary>
/// Benchmark workloads of ../shared/reference/benchmarks.md against a running manager.
/// Usage: bench b4 --url URL -u USER -p PASSWORD [--nodes N] [--chain K] [--repeat R]
///        bench b3 [--deployments 1000] [--pid MANAGER_PID]   (one-node deployments, all installs started at once)
///        bench b5 [--nodes 100] [--instances 100] [--chain 10] [--pid MANAGER_PID]   (one deployment, nodes x instances)
///        bench b6 [--senders 50] [--batch 100] [--seconds 20] [--pid MANAGER_PID] [--broker-url AMQPURL [--wire batch|line] [--rate EVENTS_A_SECOND] [--warmup SECONDS]]   (POST /events from many senders at once; with --broker-url, published to RabbitMQ: as Stratus's agents do, a batch per message, or as Cloudify's, a line per message; --rate paces the offered load; marked lines of the first --warmup seconds are not counted in until visible)
///        bench b12 --broker-url AMQPURL [--agents 2000] [--agents-per-connection 500] [--parallelism 16] [--heartbeat 10] [--pid MANAGER_PID]
///            (simulated provided agents in this process, one operation each: dispatch latency)
///        bench b8 [--deployments 100] [--executions 10000] [--pid MANAGER_PID]   (installs started at once, queue=true)
///        bench blueprint DIR --nodes N [--chain K]    (writes the generated blueprint only)
///        bench b5-blueprint DIR [--nodes 100] [--instances 100] [--chain 10]    (B5's blueprint only; bench/b9-resume.sh uses it)
///        bench b13 [DIR] [--iterations N] [--only templates|instances]   (in process; 0 iterations writes the files only)
///        bench summarize &lt; jobs.tsv   (the oracle's blueprint summary from Stratus; see scripts/oracle/compare_public.py)
/// </summary>
internal static class BenchmarkApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            await output.WriteLineAsync("usage: bench b3|b4|b5|b6|b8|b12 --url URL -u USER -p PASSWORD [--nodes 1000] [--chain 10] [--instances 100] [--deployments N] [--executions N] [--pid PID] [--broker-url AMQPURL --agents N] | bench blueprint DIR [--nodes N] [--chain K] | bench b13 [DIR] [--iterations 10] [--only templates|instances]");
            return 2;
        }

        var options = BenchOptions.Parse(args.Skip(1).ToArray());
        switch (args[0])
        {
            case "blueprint":
                NoOpBlueprint.Write(options.Positional ?? throw new ArgumentException("blueprint needs a folder"), options.Nodes, options.Chain);
                return 0;
            case "b5-blueprint":
                ManyBlueprint.Write(options.Positional ?? throw new ArgumentException("b5-blueprint needs a folder"), options.Nodes, options.Instances, options.Chain);
                return 0;
            case "summarize":
                return await OracleSummary.RunAsync(Console.In, cancellationToken);
            case "b13":
                return await B13Workload.RunAsync(options, output);
            case "b4":
                return await RunB4Async(options, output, cancellationToken);
            case "b3":
                return await ExecutionWorkloads.RunB3Async(options, output, cancellationToken);
            case "b5":
                return await B5Workload.RunAsync(options, output, cancellationToken);
            case "b6":
                return await B6Workload.RunAsync(options, output, cancellationToken);
            case "b12":
                return await B12Workload.RunAsync(options, output, TimeProvider.System, cancellationToken);
            case "b8":
                return await ExecutionWorkloads.RunB8Async(options, output, cancellationToken);
            default:
                await output.WriteLineAsync($"unknown workload '{args[0]}'");
                return 2;
        }
    }

    private static async Task<int> RunB4Async(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var api = new BenchApi(options.Url, options.User, options.Password);
        var dir = Directory.CreateTempSubdirectory("stratus-b4-");
        try
        {
            NoOpBlueprint.Write(dir.FullName, options.Nodes, options.Chain);
            var id = "b4-" + Guid.NewGuid().ToString("N")[..8];
            var total = Stopwatch.StartNew();
            var upload = await Time(() => api.UploadBlueprintAsync(id, dir.FullName, cancellationToken));
            var create = await Time(() => api.CreateDeploymentAsync(id, id, cancellationToken));
            var install = await Time(() => api.RunWorkflowAsync(id, "install", cancellationToken));
            var started = await api.CountInstancesInStateAsync(id, "started", cancellationToken);
            var uninstall = await Time(() => api.RunWorkflowAsync(id, "uninstall", cancellationToken));
            var deleted = await api.CountInstancesInStateAsync(id, "deleted", cancellationToken);
            total.Stop();
            var inv = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(string.Create(inv, $"B4 nodes={options.Nodes} chain={options.Chain} instances_started={started} instances_deleted={deleted}"));
            await output.WriteLineAsync(string.Create(inv, $"upload+parse {upload.TotalSeconds:F2}s | deployment create (plan + {options.Nodes} instances) {create.TotalSeconds:F2}s"));
            await output.WriteLineAsync(string.Create(inv, $"install {install.TotalSeconds:F2}s ({options.Nodes / install.TotalSeconds:F0} instances/s) | uninstall {uninstall.TotalSeconds:F2}s ({options.Nodes / uninstall.TotalSeconds:F0} instances/s)"));
            await output.WriteLineAsync(string.Create(inv, $"total {total.Elapsed.TotalSeconds:F2}s"));
            return started == options.Nodes && deleted == options.Nodes ? 0 : 1;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<TimeSpan> Time(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed;
    }
}
