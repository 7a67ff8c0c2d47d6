using System.Text.Json.Nodes;
using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.EndToEnd.Tests;

/// <summary>
/// kill -9 of the real manager (embedded default: SQLite, in-process broker and agent) in the middle of a workflow,
/// restart on the same data dir: the execution resumes and ends terminated, and no operation that had completed runs
/// again. An operation that was in flight may run twice, but then the resumed run names it in the events as re-sent.
/// The blueprint's scripts append one line per completed operation to a record file; the kill comes once it has N.
/// </summary>
[Collection(ManagerCollection.Name)]
public sealed class KillNineTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";
    private const int Instances = 8;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly string Blueprint = Path.Combine(RepoPaths.Root, "test", "Stratus.EndToEnd.Tests", "Blueprints", "recorded");

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    [InlineData(21)]
    public async Task Install_EndsTerminatedAfterKillNine_WithoutRunningACompletedOperationAgain(int killAfter)
    {
        await using var manager = new ManagerProcess();
        await manager.InitializeAsync();
        var record = Path.Combine(manager.WorkDir, "record.log");
        await DeployAsync(manager, record);

        var install = await manager.Client.Executions.StartAsync("rec", "install", cancellationToken: TestContext.Current.CancellationToken);
        await WaitForLinesAsync(record, killAfter, "install", manager);
        await manager.CrashAsync();
        await manager.RestartAsync();
        var ended = await Waits.ForExecutionEndAsync(manager.Client, install.Id, $"install resumed after kill -9 at {killAfter} operations", Deadline, () => manager.Output);

        Assert.True(ended.Status == ExecutionStates.Terminated, $"install ended {ended.Status}: {ended.Error}\n{Diagnostics(record, manager)}");
        var instances = (await manager.Client.NodeInstances.ListAsync("rec", cancellationToken: TestContext.Current.CancellationToken)).Items;
        Assert.Equal(Instances, instances.Count);
        Assert.All(instances, i => Assert.Equal("started", i.State));
        var lines = await File.ReadAllLinesAsync(record, TestContext.Current.CancellationToken);
        foreach (var instance in instances)
        {
            foreach (var op in new[] { "create", "configure", "start" })
            {
                Assert.Contains($"{instance.Id} {Lc}{op}", lines);
            }
        }

        await AssertNoCompletedOperationRanAgainAsync(manager, install.Id, lines, record);
    }

    [Fact]
    public async Task Uninstall_EndsTerminatedAfterKillNine_WithoutRunningACompletedOperationAgain()
    {
        await using var manager = new ManagerProcess();
        await manager.InitializeAsync();
        var record = Path.Combine(manager.WorkDir, "record.log");
        await DeployAsync(manager, record);
        var install = await manager.Client.Executions.StartAsync("rec", "install", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ExecutionStates.Terminated, (await Waits.ForExecutionEndAsync(manager.Client, install.Id, "install", Deadline, () => manager.Output)).Status);
        var installed = (await File.ReadAllLinesAsync(record, TestContext.Current.CancellationToken)).Length;

        var uninstall = await manager.Client.Executions.StartAsync("rec", "uninstall", cancellationToken: TestContext.Current.CancellationToken);
        await WaitForLinesAsync(record, installed + 6, "uninstall", manager);
        await manager.CrashAsync();
        await manager.RestartAsync();
        var ended = await Waits.ForExecutionEndAsync(manager.Client, uninstall.Id, "uninstall resumed after kill -9", Deadline, () => manager.Output);

        Assert.True(ended.Status == ExecutionStates.Terminated, $"uninstall ended {ended.Status}: {ended.Error}\n{Diagnostics(record, manager)}");
        var instances = (await manager.Client.NodeInstances.ListAsync("rec", cancellationToken: TestContext.Current.CancellationToken)).Items;
        Assert.All(instances, i => Assert.Equal("deleted", i.State));
        var lines = (await File.ReadAllLinesAsync(record, TestContext.Current.CancellationToken)).Skip(installed).ToList();
        Assert.Equal(Instances, lines.Distinct().Count(l => l.EndsWith(Lc + "delete", StringComparison.Ordinal)));
        await AssertNoCompletedOperationRanAgainAsync(manager, uninstall.Id, lines, record);
    }

    private static async Task DeployAsync(ManagerProcess manager, string record)
    {
        var ct = TestContext.Current.CancellationToken;
        await manager.Client.Blueprints.UploadAsync("rec", Blueprint, cancellationToken: ct);
        var deployment = await manager.Client.Deployments.CreateAsync("rec", "rec", new JsonObject { ["record_file"] = record }, ct);
        if (deployment.CreateExecution is { } creation)
        {
            await Waits.ForExecutionEndAsync(manager.Client, creation, "create deployment", Deadline, () => manager.Output);
        }
    }

    /// <summary>Polls the record file (on a timer, with a deadline) until it has <paramref name="count"/> lines.</summary>
    private static async Task WaitForLinesAsync(string record, int count, string phase, ManagerProcess manager)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var seen = 0;
        try
        {
            while ((seen = File.Exists(record) ? File.ReadLines(record).Count() : 0) < count)
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{phase}: expected {count} completed operations in {record} within {Deadline.TotalSeconds:0} s; saw {seen}.\n{manager.Output}");
        }
    }

    /// <summary>
    /// Each operation ran at most once more than the resumed run announced re-sending it (and the resume clean-up's
    /// operations only for an instance it rolled back); the run was really resumed.
    /// </summary>
    private static async Task AssertNoCompletedOperationRanAgainAsync(ManagerProcess manager, string executionId, IReadOnlyList<string> lines, string record)
    {
        var events = (await manager.Client.Events.ListAsync(new EventsQuery { ExecutionId = executionId, IncludeLogs = false }, TestContext.Current.CancellationToken)).Items;
        Assert.Contains(events, e => e.Message?.StartsWith("Resuming '", StringComparison.Ordinal) == true);
        var resent = events
            .Where(e => e.Message?.StartsWith("Re-sending task ", StringComparison.Ordinal) == true)
            .GroupBy(e => $"{e.NodeInstanceId} {e.Operation}")
            .ToDictionary(g => g.Key, g => g.Count());
        var rolledBack = events.Where(e => e.Message == "Rolling back prior to resuming install").Select(e => e.NodeInstanceId).ToHashSet();
        foreach (var group in lines.GroupBy(l => l))
        {
            var instance = group.Key.Split(' ')[0];
            var cleanup = rolledBack.Contains(instance) && !group.Key.EndsWith("create", StringComparison.Ordinal)
                && !group.Key.EndsWith("configure", StringComparison.Ordinal) && !group.Key.EndsWith(Lc + "start", StringComparison.Ordinal) ? 1 : 0;
            var allowed = 1 + resent.GetValueOrDefault(group.Key) + cleanup;
            Assert.True(
                group.Count() <= allowed,
                $"'{group.Key}' ran {group.Count()} times; allowed {allowed} (re-sent announced {resent.GetValueOrDefault(group.Key)} time(s)).\n"
                + $"Re-sent: {string.Join(", ", resent.Keys)}\n{Diagnostics(record, manager)}");
        }
    }

    private static string Diagnostics(string record, ManagerProcess manager) =>
        $"Record:\n{(File.Exists(record) ? File.ReadAllText(record) : "(none)")}\nManager output (tail):\n{Tail(manager.Output)}";

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}
