using System.Diagnostics;
using System.Globalization;

namespace Stratus.Bench;

/// <summary>B5: one deployment of --nodes x --instances no-op instances: upload, plan, install, uninstall, peak memory.</summary>
internal static class B5Workload
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var api = new BenchApi(options.Url, options.User, options.Password);
        var dir = Directory.CreateTempSubdirectory("stratus-b5-");
        try
        {
            ManyBlueprint.Write(dir.FullName, options.Nodes, options.Instances, options.Chain);
            var id = "b5-" + Guid.NewGuid().ToString("N")[..8];
            var count = options.Nodes * options.Instances;
            var total = Stopwatch.StartNew();
            var upload = await Time(() => api.UploadBlueprintAsync(id, dir.FullName, cancellationToken));
            var create = await Time(() => api.CreateDeploymentAsync(id, id, cancellationToken));
            var install = await Time(() => api.RunWorkflowAsync(id, "install", cancellationToken));
            var started = await api.CountInstancesInStateAsync(id, "started", cancellationToken);
            var uninstall = await Time(() => api.RunWorkflowAsync(id, "uninstall", cancellationToken));
            var deleted = await api.CountInstancesInStateAsync(id, "deleted", cancellationToken);
            total.Stop();
            var inv = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(string.Create(
                inv, $"B5 nodes={options.Nodes} instances_per_node={options.Instances} chain={options.Chain} started={started} deleted={deleted}"));
            await output.WriteLineAsync(string.Create(inv, $"upload+parse {upload.TotalSeconds:F2}s | deployment create (plan + {count} instances) {create.TotalSeconds:F2}s"));
            await output.WriteLineAsync(string.Create(
                inv, $"install {install.TotalSeconds:F2}s ({count / install.TotalSeconds:F0} instances/s) | uninstall {uninstall.TotalSeconds:F2}s ({count / uninstall.TotalSeconds:F0} instances/s)"));
            await output.WriteLineAsync(string.Create(inv, $"total {total.Elapsed.TotalSeconds:F2}s"));
            await output.WriteLineAsync(ProcessMemory.Describe(options.Pid));
            return started == count && deleted == count ? 0 : 1;
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
