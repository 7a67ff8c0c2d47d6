using System.Diagnostics;
using System.Globalization;
using Stratus.Dsl;

namespace Stratus.Bench;

/// <summary>
/// B13: parse (Cloudify's parse_from_path) + deployment plan (prepare_deployment_plan) of two generated blueprints,
/// in process: 1,000 node templates (100 hosts, 900 applications, 1 instance each) and 10,000 node instances
/// (100 templates x 100 instances). bench/b13-cloudify.sh runs Cloudify's parser on the same files.
/// </summary>
internal static class B13Workload
{
    public static readonly (string Name, int Templates, int Instances, int Hosts)[] Cases =
    [
        ("templates-1000", 1000, 1, 100),
        ("instances-10000", 100, 100, 0),
    ];

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        var root = options.Positional ?? Path.Combine(Path.GetTempPath(), "stratus-b13");
        var inv = CultureInfo.InvariantCulture;
        foreach (var (name, templates, instances, hosts) in Cases.Where(c => options.Only is null || c.Name.StartsWith(options.Only, StringComparison.Ordinal)))
        {
            var path = LargeBlueprint.Write(Path.Combine(root, name), templates, instances, hosts);
            if (options.Iterations == 0)
            {
                await output.WriteLineAsync($"B13 {name}: wrote {path}");
                continue;
            }

            var parse = new List<double>();
            var plan = new List<double>();
            var total = new List<double>();
            var cpu = new List<double>();
            using var process = Process.GetCurrentProcess();
            var allocated = 0L;
            var instanceCount = 0;
            for (var i = 0; i < options.Iterations; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var parsed = new BlueprintParser().Parse(path);
                var parsedAt = watch.Elapsed.TotalSeconds;
                var deployment = DeploymentPlanner.Prepare(parsed.Plan, null, new PlannerOptions { Random = new Random(i) });
                var doneAt = watch.Elapsed.TotalSeconds;
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                instanceCount = deployment.NodeInstances.Count;
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
                parse.Add(parsedAt);
                plan.Add(doneAt - parsedAt);
                total.Add(doneAt);
            }

            process.Refresh();
            await output.WriteLineAsync(string.Create(inv, $"B13 {name}: {templates} templates, {instanceCount} instances, {options.Iterations} iterations ({path})"));
            await output.WriteLineAsync(string.Create(inv, $"  first  parse {parse[0]:F3}s + plan {plan[0]:F3}s = {total[0]:F3}s (includes JIT)"));
            await output.WriteLineAsync(string.Create(inv, $"  best   parse {parse.Min():F3}s + plan {plan.Min():F3}s = {total.Min():F3}s"));
            await output.WriteLineAsync(string.Create(inv, $"  median parse {Median(parse):F3}s + plan {Median(plan):F3}s = {Median(total):F3}s"));
            await output.WriteLineAsync(string.Create(inv, $"  CPU (all threads, GC included) first {cpu[0]:F3}s, best {cpu.Min():F3}s, median {Median(cpu):F3}s"));
            await output.WriteLineAsync(string.Create(inv, $"  allocated {allocated / 1048576.0:F0} MB per iteration; process peak RSS {process.PeakWorkingSet64 / 1048576.0:F0} MB"));
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
