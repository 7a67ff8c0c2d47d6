using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Cluster;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>Several managers on one database: execution leases, takeover, and resume without running anything twice.</summary>
public sealed class ClusterTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResumedRun_OnADurableBroker_WaitsForTheSentOperation_InsteadOfSendingItAgain()
    {
        await using var h = EngineHarness.ThreeTier();
        var durable = new DurableBroker(h.Broker);
        var held = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => Interlocked.Increment(ref held) == 1 ? null : FakeAgent.Success());
        using var install = await HeldInstall.StartAsync(h, durable, agent);
        var (start, pending) = (install.Start, install.Pending);

        // The manager dies with the operation still running at the agent.
        await install.CrashAsync();
        var resumed = h.NewEngine(durable).RunAsync(start.ExecutionId, null, null, Token);
        await agent.ReplyAsync(pending, FakeAgent.Success());
        await resumed.Within($"the resumed execution {start.ExecutionId} to end");

        var execution = await h.Store.GetExecutionAsync(null, start.ExecutionId, Token);
        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal(ExecutionStatus.Terminated, execution?.Status);
        Assert.Single(agent.Deliveries, d => d.Key == pending.Key);
        Assert.Single(events, e => e.EventType == "sending_task" && $"{e.NodeInstanceId}:{e.Operation}" == pending.Key);
        Assert.Single(events, e => e.EventType == "task_succeeded" && $"{e.NodeInstanceId}:{e.Operation}" == pending.Key);
    }

    [Fact]
    public async Task ResumedRun_OnTheInProcessBroker_SendsTheLostOperationAgain()
    {
        await using var h = EngineHarness.ThreeTier();
        var held = 0;
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => Interlocked.Increment(ref held) == 1 ? null : FakeAgent.Success());
        using var install = await HeldInstall.StartAsync(h, h.Broker, agent);

        await install.CrashAsync();
        var execution = await h.RunAsync(install.Start with { ExecutionToken = null });

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.Equal(2, agent.Deliveries.Count(d => d.Key == install.Pending.Key));
    }

    [Fact]
    public async Task StartMessage_ForAnExecutionAnotherManagerHolds_IsDropped_ThenTakenOverOnceTheLeaseExpires()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var now = h.Time.GetUtcNow();
        Assert.True(await h.Store.TryClaimExecutionAsync(start.ExecutionId, "other", now, now + Lease, Token));
        var logs = new CapturingLoggerProvider();
        using var host = Host(h, logs, "me");
        var dropped = logs.WhenLogged($"Execution {start.ExecutionId} is not taken by manager me");
        var succeeded = h.Memory.WhenEvent(e => e.ExecutionId == start.ExecutionId && e.EventType == "workflow_succeeded");
        await host.StartAsync(Token);

        await h.Broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, Token);
        await h.Broker.PublishAsync(QueueNames.Workflows, new OutgoingMessage { Body = start.ToBody() }, Token);
        await dropped.Within("the start message to be dropped while another manager holds the execution");
        Assert.Empty(agent.Deliveries);
        Assert.Empty(await h.EventsOfAsync(start.ExecutionId));

        // The other manager stops renewing: once its lease expires, this one takes the execution over.
        await h.AdvanceInStepsUntilAsync(succeeded, Lease / 3, $"execution {start.ExecutionId} to be taken over and succeed");
        await host.StopAsync(Token);

        Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, Token))?.Status);
        Assert.Equal("me", (await h.Store.GetExecutionLeaseAsync(start.ExecutionId, Token))?.Owner);
        Assert.Equal(agent.Deliveries.Count, agent.Deliveries.Select(d => d.Key).Distinct().Count());
    }

    [Fact]
    public async Task Renew_MarksALeaseLost_WhenAnotherManagerTookTheExpiredExecution()
    {
        await using var h = EngineHarness.ThreeTier();
        var start = await h.CreateExecutionAsync("install");
        var leases = Leases(h, "a");
        using var lease = await leases.TryAcquireAsync(start.ExecutionId, Token);
        Assert.NotNull(lease);

        h.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var now = h.Time.GetUtcNow();
        Assert.True(await h.Store.TryClaimExecutionAsync(start.ExecutionId, "b", now, now + Lease, Token));
        await leases.RenewAsync(Token);

        Assert.True(lease.IsLost);
        Assert.Empty(leases.HeldIds);
        Assert.Null(await leases.TryAcquireAsync(start.ExecutionId, Token));
    }

    [Fact]
    public async Task Renew_MarksEveryLeaseLost_OnlyAfterRenewalsFailedForAWholeLease()
    {
        await using var h = EngineHarness.ThreeTier();
        var start = await h.CreateExecutionAsync("install");
        var leases = Leases(h, "a");
        using var lease = (await leases.TryAcquireAsync(start.ExecutionId, Token))!;
        h.Memory.FailLeaseRenewals = true;

        h.Time.Advance(TimeSpan.FromSeconds(5));
        await leases.RenewAsync(Token);
        var lostEarly = lease.IsLost;
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await leases.RenewAsync(Token);

        Assert.False(lostEarly, "one failed renewal within the lease must not stop the run");
        Assert.True(lease.IsLost);
    }

    [Fact]
    public async Task Release_LetsAnotherManagerTakeTheExecutionAtOnce()
    {
        await using var h = EngineHarness.ThreeTier();
        var start = await h.CreateExecutionAsync("install");
        var a = Leases(h, "a");
        var b = Leases(h, "b");
        var lease = (await a.TryAcquireAsync(start.ExecutionId, Token))!;

        var whileHeld = await b.ClaimOrphansAsync(10, includeUnleased: true, Token);
        await a.ReleaseAsync(lease, Token);
        var afterRelease = await b.ClaimOrphansAsync(10, includeUnleased: false, Token);

        Assert.Empty(whileHeld);
        Assert.Equal([start.ExecutionId], afterRelease.Select(l => l.ExecutionId));
    }

    [Theory]
    [InlineData("timeout", true)]
    [InlineData("restart", true)]
    [InlineData("connection", true)]
    [InlineData("constraint", false)]
    [InlineData("bug", false)]
    public void TransientFailure_IsTheInfrastructure_NotTheWorkflow(string kind, bool transient)
    {
        Exception failure = kind switch
        {
            "timeout" => new InvalidOperationException("wrapped", new TimeoutException()),
            "restart" => new FakeDbException("57P01"),
            "connection" => new FakeDbException("08006"),
            "constraint" => new FakeDbException("23505"),
            _ => new InvalidOperationException("a bug"),
        };

        Assert.Equal(transient, TransientFailure.Is(failure));
    }

    private static ExecutionLeases Leases(EngineHarness h, string managerId) =>
        new(h.Store, h.Time, Options.Create(new ExecutionLeaseOptions { ManagerId = managerId, LeaseDuration = Lease }), NullLogger<ExecutionLeases>.Instance);

    private static IHost Host(EngineHarness h, ILoggerProvider logs, string managerId)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(h.Store);
        builder.Services.AddSingleton<IMessageBroker>(h.Broker);
        builder.Services.AddSingleton<TimeProvider>(h.Time);
        builder.Services.AddStratusWorkflows();
        builder.Services.Configure<ExecutionLeaseOptions>(o =>
        {
            o.ManagerId = managerId;
            o.LeaseDuration = Lease;
        });
        return builder.Build();
    }

    private sealed class FakeDbException(string sqlState) : DbException("simulated")
    {
        public override string? SqlState => sqlState;
    }
}
