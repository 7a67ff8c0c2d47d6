using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class HostedServiceTests
{
    [Fact]
    public async Task AddStratusWorkflows_RunsPublishedWorkflow_WhenHosted()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IStratusStore>(h.Store);
        builder.Services.AddSingleton<IMessageBroker>(h.Broker);
        builder.Services.AddSingleton<TimeProvider>(h.Time);
        builder.Services.AddStratusWorkflows(o => o.ManagerName = "hosted");
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var start = await h.CreateExecutionAsync("install");
        var succeeded = h.Memory.WhenEvent(e => e.ExecutionId == start.ExecutionId && e.EventType == "workflow_succeeded");

        await h.Broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, TestContext.Current.CancellationToken);
        await h.Broker.PublishAsync(QueueNames.Workflows, new OutgoingMessage { Body = start.ToBody() }, TestContext.Current.CancellationToken);
        var done = await succeeded.Within($"execution {start.ExecutionId} to store workflow_succeeded");
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("hosted", done.ManagerName);
        Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(0, h.Broker.GetReadyCount(QueueNames.Workflows));
    }

    [Fact]
    public async Task AddStratusWorkflows_RunsExecutionLeftWithoutMessage_WhenHostStarts()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());
        var start = await h.CreateExecutionAsync("install");
        var succeeded = h.Memory.WhenEvent(e => e.ExecutionId == start.ExecutionId && e.EventType == "workflow_succeeded");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IStratusStore>(h.Store);
        builder.Services.AddSingleton<IMessageBroker>(h.Broker);
        builder.Services.AddSingleton<TimeProvider>(h.Time);
        builder.Services.AddStratusWorkflows();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await succeeded.Within($"execution {start.ExecutionId} to store workflow_succeeded");
        await host.StopAsync(TestContext.Current.CancellationToken);

        var execution = (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!;
        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        Assert.All(agent.Deliveries, d => Assert.NotNull(d.Context["execution_token"]?.GetValue<string>()));
    }

    [Fact]
    public async Task AddStratusWorkflows_FailsAtStart_WhenOptionsInvalid()
    {
        await using var h = EngineHarness.ThreeTier();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IStratusStore>(h.Store);
        builder.Services.AddSingleton<IMessageBroker>(h.Broker);
        builder.Services.AddStratusWorkflows(o => o.MaxConcurrentWorkflows = 0);
        using var host = builder.Build();

        await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }
}
