using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>The engine against the real SQLite store: what a restarted embedded manager relies on.</summary>
public sealed class SqliteWorkflowTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task InstallThenUninstall_StoresStatesOperationsAndEvents_WhenBackedBySqlite()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var install = await h.CreateExecutionAsync("install");

        var installed = await h.RunAsync(install);

        Assert.Equal(ExecutionStatus.Terminated, installed.Status);
        Assert.Equal(installed.TotalOperations, installed.FinishedOperations);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
        var operations = await h.OperationsOfAsync(install.ExecutionId);
        Assert.Equal(installed.TotalOperations, operations.Count);
        Assert.All(operations, o => Assert.Equal("succeeded", o.State));
        Assert.Contains(operations, o => o.Type == "SubgraphTask" && o.Name == "install_app_1");
        var events = await h.EventsOfAsync(install.ExecutionId);
        Assert.Equal("Starting 'install' workflow execution", events[0].Message);
        Assert.Equal("'install' workflow execution succeeded", events[^1].Message);

        var uninstall = await h.CreateExecutionAsync("uninstall");
        Assert.Equal(ExecutionStatus.Terminated, (await h.RunAsync(uninstall)).Status);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Deleted, s));
        var deployment = (await h.Store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, TestContext.Current.CancellationToken))!;
        Assert.Equal("inactive", deployment.InstallationStatus);
        Assert.Equal(uninstall.ExecutionId, deployment.LatestExecutionId);
    }

    [Fact]
    public async Task Install_RecordsFailedOperationAndError_WhenBackedBySqlite()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "app_1:" + Lc + "configure" ? FakeAgent.Failure(TaskError.NonRecoverable, "config invalid") : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");

        var execution = await h.RunAsync(start);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Task failed: script_runner.tasks.run (app_1:" + Lc + "configure): NonRecoverableError `config invalid`", execution.Error);
        var states = await h.InstanceStatesAsync();
        Assert.Equal(NodeInstanceState.Configuring, states["app_1"]);
        Assert.Equal(NodeInstanceState.Started, states["db_1"]);
        var operations = await h.OperationsOfAsync(start.ExecutionId);
        Assert.Contains(operations, o => o.State == "failed" && o.Type == "RemoteWorkflowTask");
        Assert.Contains(operations, o => o.State == "pending");
        Assert.Contains(await h.EventsOfAsync(start.ExecutionId), e => e.EventType == "task_failed" && e.Message == "Task failed 'script_runner.tasks.run' -> config invalid");
    }

    [Fact]
    public async Task Install_ResumesFromStoredGraph_WhenANewEngineTakesOverAfterACrash()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "db_1:" + Lc + "start" ? null : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var held = agent.WhenReceived("db_1:" + Lc + "start");
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var first = h.NewEngine().RunAsync(start.ExecutionId, start, null, crash.Token);
        var delivery = await held.Within("db_1 start to reach the agent");
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within("the first engine to stop after its crash token fired"));
        var before = agent.Order.ToList();

        // db_1 was left starting: the resumed install stops it first (Cloudify's resume clean-up), then starts it again.
        var resent = agent.WhenReceived(delivery.Key, occurrence: 2);
        var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
        await agent.ReplyAsync(await resent.Within("the resumed engine to send db_1's start again"), FakeAgent.Success());
        await resumed.Within($"the resumed execution {start.ExecutionId} to end terminated");

        var execution = (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!;
        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var after = agent.Order.Skip(before.Count).ToList();
        Assert.Contains("db_1:" + Lc + "start", after);
        Assert.DoesNotContain("db_1:" + Lc + "create", after);
        Assert.DoesNotContain("db_1:" + Lc + "configure", after);
        Assert.Contains("app_1:" + Lc + "create", after);
        var resumedToken = agent.Deliveries[^1].Context["execution_token"]!.GetValue<string>();
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resumedToken))),
            execution.TokenHash);
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
    }
}
