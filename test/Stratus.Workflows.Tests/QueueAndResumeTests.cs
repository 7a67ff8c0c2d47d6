using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>Queued executions leave the queue when a run ends; a failed run resumes from its stored graph.</summary>
public sealed class QueueAndResumeTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task EndOfARun_PublishesTheQueuedExecutionOfItsDeployment()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        await using var published = await StartMessages.ListenAsync(h.Broker);
        var first = await h.CreateExecutionAsync("install");
        var queued = await InsertQueuedAsync(h, "uninstall");
        Assert.False(published.Has(queued.Id));

        var ended = await h.RunAsync(first);

        Assert.Equal(ExecutionStatus.Terminated, ended.Status);
        var message = await published.For(queued.Id).Within($"a start message for queued execution {queued.Id}");
        Assert.Equal(("uninstall", (string?)null, "admin"), (message.WorkflowId, message.ExecutionToken, message.ExecutionCreatorUsername));
        Assert.Equal(ExecutionStatus.Pending, (await h.Store.GetExecutionAsync(null, queued.Id, TestContext.Current.CancellationToken))?.Status);
    }

    [Fact]
    public async Task EndOfARun_KeepsQueuedExecutionsWaiting_WhileTheLimitIsReached()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        h.QueueOptions.MaxConcurrentWorkflows = 1;
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var first = await h.CreateExecutionAsync("install");
        var queued = await InsertQueuedAsync(h, "uninstall");
        // Another execution holds the only slot (forced onto the deployment, as force=true does).
        await h.Store.InsertExecutionAsync(
            new Execution { Id = "other", TenantName = Topology.Tenant, CreatedBy = "admin", WorkflowId = "install", DeploymentId = Topology.DeploymentId, CreatedAt = h.Time.GetUtcNow(), Status = ExecutionStatus.Started },
            exclusiveOnDeployment: false,
            TestContext.Current.CancellationToken);

        await h.RunAsync(first);

        Assert.Equal(ExecutionStatus.Queued, (await h.Store.GetExecutionAsync(null, queued.Id, TestContext.Current.CancellationToken))?.Status);
        Assert.True(await h.Store.TryTransitionExecutionAsync(
            "other", new ExecutionTransition { To = ExecutionStatus.Terminated, ExpectedFrom = [ExecutionStatus.Started] }, TestContext.Current.CancellationToken));
        Assert.Equal([queued.Id], (await h.NewQueue().StartQueuedAsync(TestContext.Current.CancellationToken)).Select(e => e.Id));
    }

    [Fact]
    public async Task Resume_OfAFailedInstall_RerunsOnlyTheFailedOperationAndWhatNeverRan()
    {
        await using var h = await EngineHarness.ThreeTierSqliteAsync();
        var failOnce = new ConcurrentDictionary<string, int>();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d =>
            d.Key == "db_1:" + Lc + "configure" && failOnce.AddOrUpdate(d.Key, 1, (_, n) => n + 1) == 1
                ? FakeAgent.Failure(TaskError.NonRecoverable, "database refused")
                : FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var failed = await h.RunAsync(start);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        var firstRun = agent.Order.ToList();

        Assert.True(await h.Store.TryResumeExecutionAsync(
            start.ExecutionId, [ExecutionStatus.Failed], ["failed", "rescheduled"], "new-hash", TestContext.Current.CancellationToken));
        var resumed = await h.RunAsync(start with { Resume = true, ExecutionToken = "resumed-token" });

        Assert.Equal(ExecutionStatus.Terminated, resumed.Status);
        Assert.Equal("", resumed.Error);
        var rerun = agent.Order.Skip(firstRun.Count).ToList();
        Assert.Contains("db_1:" + Lc + "configure", rerun);
        Assert.Empty(rerun.Intersect(firstRun.Where(k => k != "db_1:" + Lc + "configure")));
        Assert.All((await h.InstanceStatesAsync()).Values, s => Assert.Equal(NodeInstanceState.Started, s));
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Contains(events, e => e.EventType == "workflow_started" && e.Message == "Resuming 'install' workflow execution");
        Assert.Equal("'install' workflow execution succeeded", events[^1].Message);
    }

    [Fact]
    public async Task HostStart_RunsAQueuedExecutionWhoseDeploymentIsIdle()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var queued = await InsertQueuedAsync(h, "install");
        var succeeded = h.Memory.WhenEvent(e => e.ExecutionId == queued.Id && e.EventType == "workflow_succeeded");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(h.Store);
        builder.Services.AddSingleton<IMessageBroker>(h.Broker);
        builder.Services.AddSingleton<TimeProvider>(h.Time);
        builder.Services.AddStratusWorkflows();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await succeeded.Within($"queued execution {queued.Id} to be dequeued at start and succeed");
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, queued.Id, TestContext.Current.CancellationToken))?.Status);
    }

    private static async Task<Execution> InsertQueuedAsync(EngineHarness h, string workflowId)
    {
        var execution = new Execution
        {
            Id = Guid.NewGuid().ToString(),
            TenantName = Topology.Tenant,
            CreatedBy = "admin",
            WorkflowId = workflowId,
            DeploymentId = Topology.DeploymentId,
            BlueprintId = Topology.BlueprintId,
            CreatedAt = h.Time.GetUtcNow().AddSeconds(1),
            Status = ExecutionStatus.Queued,
        };
        await h.Store.InsertExecutionAsync(execution, exclusiveOnDeployment: false, TestContext.Current.CancellationToken);
        return execution;
    }

    /// <summary>Records the workflow start messages published on the broker.</summary>
    private sealed class StartMessages : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<WorkflowStartMessage>> _byId = new(StringComparer.Ordinal);
        private IAsyncDisposable? _consumer;

        public static async Task<StartMessages> ListenAsync(Messaging.InProcess.InProcessBroker broker)
        {
            var listener = new StartMessages();
            await broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, TestContext.Current.CancellationToken);
            listener._consumer = await broker.ConsumeAsync(
                QueueNames.Workflows,
                async (message, ct) =>
                {
                    var start = WorkflowStartMessage.FromBody(message.Body.Span);
                    listener.Slot(start.ExecutionId).TrySetResult(start);
                    await message.AckAsync(ct);
                },
                prefetch: 10,
                TestContext.Current.CancellationToken);
            return listener;
        }

        public Task<WorkflowStartMessage> For(string executionId) => Slot(executionId).Task;

        public bool Has(string executionId) => Slot(executionId).Task.IsCompleted;

        public ValueTask DisposeAsync() => _consumer?.DisposeAsync() ?? ValueTask.CompletedTask;

        private TaskCompletionSource<WorkflowStartMessage> Slot(string id) =>
            _byId.GetOrAdd(id, _ => new TaskCompletionSource<WorkflowStartMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
