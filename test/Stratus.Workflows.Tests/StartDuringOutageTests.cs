using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Workflows.Cluster;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>A workflow start that meets an unreachable database is not lost: it waits, or the sweep starts it.</summary>
public sealed class StartDuringOutageTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartMessage_WaitsOutADatabaseOutage_InsteadOfBeingDeadLettered()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        using var host = Host(h, "a", pendingStartTimeout: TimeSpan.FromHours(1));
        await host.StartAsync(Token);
        var start = await h.CreateExecutionAsync("install");
        var succeeded = h.Memory.WhenEvent(e => e.ExecutionId == start.ExecutionId && e.EventType == "workflow_succeeded");
        h.Memory.FailClaims = true;

        await h.Broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, Token);
        await h.Broker.PublishAsync(QueueNames.Workflows, new OutgoingMessage { Body = start.ToBody() }, Token);
        // More failed claims than the queue's deliveries: a nack per failure would have dead-lettered the message.
        await h.AdvanceInStepsUntilAsync(() => h.Memory.FailedClaims > QueueOptions.Default.MaxDeliveries, TimeSpan.FromSeconds(1), () => $"the claim to fail more times than a message is delivered (failed {h.Memory.FailedClaims}, dead-lettered {h.Broker.GetReadyCount(DeadLetter.QueueFor(QueueNames.Workflows))})");
        h.Memory.FailClaims = false;
        await h.AdvanceInStepsUntilAsync(() => succeeded.IsCompleted, TimeSpan.FromSeconds(1), () => $"execution {start.ExecutionId} to run once the database is back");
        await host.StopAsync(Token);

        Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, Token))?.Status);
        Assert.Equal(0, h.Broker.GetReadyCount(DeadLetter.QueueFor(QueueNames.Workflows)));
        Assert.Equal(0, h.Broker.GetReadyCount(QueueNames.Workflows));
        Assert.Single(await h.EventsOfAsync(start.ExecutionId), e => e.EventType == "workflow_started");
    }

    [Fact]
    public async Task Sweep_StartsAPendingExecutionWhoseStartMessageWasLost_OnExactlyOneManager()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        using var a = Host(h, "a", TimeSpan.FromSeconds(30));
        using var b = Host(h, "b", TimeSpan.FromSeconds(30));
        await a.StartAsync(Token);
        await b.StartAsync(Token);
        // No start message is ever published.
        var start = await h.CreateExecutionAsync("install");
        var succeeded = h.Memory.WhenEvent(e => e.ExecutionId == start.ExecutionId && e.EventType == "workflow_succeeded");

        await h.AdvanceInStepsUntilAsync(() => succeeded.IsCompleted, TimeSpan.FromSeconds(1), () => $"the sweep to start pending execution {start.ExecutionId}");
        await a.StopAsync(Token);
        await b.StopAsync(Token);

        var events = await h.EventsOfAsync(start.ExecutionId);
        Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, Token))?.Status);
        Assert.Single(events, e => e.EventType == "workflow_started");
        Assert.Equal(agent.Deliveries.Count, agent.Deliveries.Select(d => d.Key).Distinct().Count());
    }

    private static IHost Host(EngineHarness h, string managerId, TimeSpan pendingStartTimeout)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(h.Store);
        builder.Services.AddSingleton<IMessageBroker>(h.Broker);
        builder.Services.AddSingleton<TimeProvider>(h.Time);
        // No start-up resume: only the start message (or the sweep) may start the execution under test.
        builder.Services.AddStratusWorkflows(o =>
        {
            o.ManagerName = managerId;
            o.ResumeOnStart = false;
        });
        builder.Services.Configure<ExecutionLeaseOptions>(o =>
        {
            o.ManagerId = managerId;
            o.PendingStartTimeout = pendingStartTimeout;
        });
        return builder.Build();
    }
}
