using System.Net;
using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// Two managers on PostgreSQL and RabbitMQ of the test's own: either serves any REST call; the install survives the
/// kill -9 of the manager running it, a RabbitMQ restart and a PostgreSQL restart, with every event stored once and
/// no completed operation run again (each step records its runs in a file).
/// </summary>
public sealed class ClusterTests
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Steps = ["step1", "step2", "step3", "step4"];
    private static readonly string Blueprint = Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "cluster");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoManagers_ServeEachOthersResources_AndListEachOther()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);
        var (m1, m2) = (cluster.Managers[0].Client, cluster.Managers[1].Client);

        await m1.Blueprints.UploadAsync("shared", Blueprint, cancellationToken: Token);
        var seenByOther = await m2.Blueprints.GetAsync("shared", Token);
        var managers = await ManagersAsync(cluster.Managers[1]);

        Assert.Equal("uploaded", seenByOther.State);
        Assert.Equal(["m1", "m2"], managers);
    }

    [Fact]
    public async Task KillingTheManagerRunningAnInstall_TheOtherFinishesIt_WithoutRunningACompletedStepAgain()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);
        var record = Path.Combine(cluster.ScratchDir, "runs.txt");
        var install = await StartInstallAsync(cluster.Managers[0].Client, "killed", record);

        // Mid-install: step1 done, step2 running.
        await UntilRecordAsync(record, r => r.Contains("done step1", StringComparison.Ordinal) && r.Contains("start step2", StringComparison.Ordinal), "step2 to start", cluster);
        var owner = await cluster.LeaseOwnerAsync(install, Token) ?? throw new InvalidOperationException($"execution {install} has no lease owner");
        var victim = cluster.ById(owner);
        var survivor = cluster.Managers.Single(m => m != victim);
        var doneBeforeKill = Done(await File.ReadAllTextAsync(record, Token));
        await victim.KillHardAsync();

        var ended = await Waits.ForExecutionEndAsync(survivor.Client, install, "install after kill -9 of " + owner, InstallTimeout, () => cluster.Output);
        var runs = await File.ReadAllTextAsync(record, Token);

        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{runs}");
        Assert.NotEqual(owner, await cluster.LeaseOwnerAsync(install, Token));
        Assert.All(Steps, s => Assert.True(Starts(runs, s) >= 1, $"{s} never ran:\n{runs}"));
        Assert.All(doneBeforeKill, s => Assert.True(Starts(runs, s) == 1, $"{s} completed before the kill but ran again:\n{runs}"));
        Assert.All(Steps.Except(["step1", "step2"]), s => Assert.True(Starts(runs, s) == 1, $"{s} started after the takeover but ran twice:\n{runs}"));
        await AssertEventsOnceAsync(survivor.Client, install, exceptLogsOf: "step2");
        Assert.Equal([survivor == cluster.Managers[0] ? "m1" : "m2"], await ManagersEventuallyAsync(survivor, 1));
    }

    [Fact]
    public async Task RestartingRabbitMq_MidInstall_TheInstallStillFinishes()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);
        var record = Path.Combine(cluster.ScratchDir, "runs.txt");
        var install = await StartInstallAsync(cluster.Managers[1].Client, "rabbit", record);

        await UntilRecordAsync(record, r => r.Contains("start step2", StringComparison.Ordinal), "step2 to start", cluster);
        await services.RestartRabbitMqAsync();
        var ended = await Waits.ForExecutionEndAsync(cluster.Managers[0].Client, install, "install across a RabbitMQ restart", InstallTimeout, () => cluster.Output, duringOutage: true);
        var runs = await File.ReadAllTextAsync(record, Token);

        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{runs}");
        // Nobody died: a copy of an operation published again around the restart is refused by the claim, so every
        // step ran exactly once and logged once.
        Assert.All(Steps, s => Assert.True(Starts(runs, s) == 1, $"{s} ran {Starts(runs, s)} times:\n{runs}\n{cluster.Output}"));
        await AssertEventsOnceAsync(cluster.Managers[0].Client, install, exceptLogsOf: null);
    }

    [Fact]
    public async Task RestartingPostgreSql_MidInstall_TheInstallStillFinishes()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);
        var record = Path.Combine(cluster.ScratchDir, "runs.txt");
        var install = await StartInstallAsync(cluster.Managers[0].Client, "postgres", record);

        await UntilRecordAsync(record, r => r.Contains("start step2", StringComparison.Ordinal), "step2 to start", cluster);
        await services.RestartPostgresAsync();
        var ended = await Waits.ForExecutionEndAsync(cluster.Managers[1].Client, install, "install across a PostgreSQL restart", InstallTimeout, () => cluster.Output, duringOutage: true);
        var runs = await File.ReadAllTextAsync(record, Token);

        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{runs}");
        // Nobody died: the run that lost the database stops and another resumes it from the stored graph, awaiting the
        // in-flight step2 (its reply waits on the durable reply queue) instead of sending it again; a copy delivered
        // anyway is refused by the claim (same attempt, another claimant, or an attempt already finished).
        Assert.All(Steps, s => Assert.True(Starts(runs, s) == 1, $"{s} ran {Starts(runs, s)} times:\n{runs}\n{cluster.Output}"));
        await AssertEventsOnceAsync(cluster.Managers[1].Client, install, exceptLogsOf: null);
    }

    [Fact]
    public async Task PostgreSqlDownLongerThanTheClaimTimeout_MidStep_TheRunningStepIsNotSentAgain()
    {
        // Down for four claim timeouts (the claim holder timeout is the execution lease), with step2 still running on
        // a manager's agent when the database returns: every manager's heartbeat row is then older than the timeout,
        // yet none may judge the other's agent gone (and re-send step2 beside it) before its own contact with the
        // database has lasted that long, by which time the live manager has beaten again.
        var down = TimeSpan.FromSeconds(4 * ManagerCluster.LeaseSeconds);
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ManagerCluster.StartAsync(services);
        var record = Path.Combine(cluster.ScratchDir, "runs.txt");
        var install = await StartInstallAsync(cluster.Managers[0].Client, "outage", record, step2Seconds: (int)down.TotalSeconds + 8);

        await UntilRecordAsync(record, r => r.Contains("start step2", StringComparison.Ordinal), "step2 to start", cluster);
        await services.RestartPostgresAsync(down);
        var stillRunning = await File.ReadAllTextAsync(record, Token);
        var ended = await Waits.ForExecutionEndAsync(cluster.Managers[1].Client, install, "install across a long PostgreSQL outage", InstallTimeout, () => cluster.Output, duringOutage: true);
        var runs = await File.ReadAllTextAsync(record, Token);

        Assert.True(!stillRunning.Contains("done step2", StringComparison.Ordinal), $"step2 ended before the database returned; the test proves nothing:\n{stillRunning}");
        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{runs}");
        Assert.All(Steps, s => Assert.True(Starts(runs, s) == 1, $"{s} ran {Starts(runs, s)} times:\n{runs}\n{cluster.Output}"));
        await AssertEventsOnceAsync(cluster.Managers[1].Client, install, exceptLogsOf: null);
    }

    private static async Task<string> StartInstallAsync(StratusClient client, string id, string record, int step2Seconds = 2)
    {
        await client.Blueprints.UploadAsync(id, Blueprint, cancellationToken: Token);
        var inputs = new JsonObject
        {
            ["record"] = record,
            ["seconds"] = "2",
            ["step2_seconds"] = step2Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var deployment = await client.Deployments.CreateAsync(id, id, inputs, Token);
        if (deployment.CreateExecution is { } creation)
        {
            var created = await Waits.ForExecutionEndAsync(client, creation, "create deployment", InstallTimeout, () => "");
            Assert.Equal(ExecutionStates.Terminated, created.Status);
        }

        return (await client.Executions.StartAsync(id, "install", cancellationToken: Token)).Id;
    }

    private static Task UntilRecordAsync(string record, Func<string, bool> reached, string phase, ManagerCluster cluster)
    {
        var last = "";
        return Waits.UntilAsync(
            async ct =>
            {
                last = File.Exists(record) ? await File.ReadAllTextAsync(record, ct) : "";
                return reached(last);
            },
            phase,
            InstallTimeout,
            () => $"{last}\n{cluster.Output}");
    }

    /// <summary>Task events carry one per operation and attempt; logs one per run (a step run twice logs twice).</summary>
    private static async Task AssertEventsOnceAsync(StratusClient client, string executionId, string? exceptLogsOf)
    {
        var events = (await client.Events.ListAsync(new EventsQuery { ExecutionId = executionId, IncludeLogs = true, Size = 1000 }, Token)).Items;
        foreach (var type in new[] { "sending_task", "task_succeeded" })
        {
            var byInstance = events.Where(e => !e.IsLog && e.EventTypeName == type && e.NodeInstanceId is not null).GroupBy(e => e.NodeInstanceId).ToList();
            Assert.Equal(Steps.Length, byInstance.Count);
            Assert.All(byInstance, g => Assert.True(g.Count() == 1, $"{type} stored {g.Count()} times for {g.Key}"));
        }

        foreach (var step in Steps.Where(s => s != exceptLogsOf))
        {
            var lines = events.Count(e => e.IsLog && e.Message == $"step {step} done");
            Assert.True(lines == 1, $"the log line of {step} was stored {lines} times");
        }
    }

    private static int Starts(string runs, string step) =>
        runs.Split('\n').Count(l => l.StartsWith($"start {step} ", StringComparison.Ordinal));

    private static List<string> Done(string runs) =>
        [.. runs.Split('\n').Where(l => l.StartsWith("done ", StringComparison.Ordinal)).Select(l => l[5..].Trim())];

    private static async Task<List<string>> ManagersAsync(ManagerProcess manager)
    {
        using var http = new HttpClient { BaseAddress = manager.Url };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + ManagerProcess.AdminPassword)));
        http.DefaultRequestHeaders.Add("Tenant", "default_tenant");
        var body = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/v3.1/managers", UriKind.Relative), Token))!;
        return [.. body["items"]!.AsArray().Select(i => i!["hostname"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> ManagersEventuallyAsync(ManagerProcess manager, int count)
    {
        List<string> last = [];
        await Waits.UntilAsync(
            async _ => (last = await ManagersAsync(manager)).Count == count,
            $"GET /managers to list {count} manager(s)",
            TimeSpan.FromSeconds(60),
            () => string.Join(", ", last));
        return last;
    }
}
