using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;

namespace Stratus.Agent.Tests;

public sealed class AgentOptionsTests
{
    [Fact]
    public async Task HostStart_Fails_WhenParallelismIsZero()
    {
        await using var broker = new InProcessBroker();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IMessageBroker>(broker);
        builder.Services.AddStratusAgent(o => o.Parallelism = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("parallelism", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Defaults_ConsumeTheManagementQueue_WithTwoOperationsPerCoreAtLeast()
    {
        var options = new AgentOptions();

        Assert.Equal("cloudify.management", options.Name);
        Assert.True(options.Parallelism >= 2);
    }
}
