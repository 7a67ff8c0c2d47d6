using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stratus.Agent;
using Stratus.Workflows;

namespace Stratus.Server.Tests;

/// <summary>The manager's bound on concurrent operations (<c>--max-workers</c>) and its <c>wait_after_fail</c> reach the engine and the agent.</summary>
public sealed class ManagerWorkerOptionsTests
{
    [Fact]
    public async Task Build_GivesAgentMaxWorkersAndEngineWaitAfterFail_FromOptions()
    {
        var dataDir = Directory.CreateTempSubdirectory("stratus-workers-").FullName;
        try
        {
            await using var app = ManagerHost.Build(new ManagerOptions { DataDir = dataDir, MaxWorkers = 3, WaitAfterFail = TimeSpan.FromSeconds(7) });

            Assert.Equal(3, app.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Parallelism);
            Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<WorkflowOptions>>().Value.WaitAfterFail);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public void Build_RefusesMaxWorkersBelowOne()
    {
        var error = Assert.Throws<ArgumentException>(() => ManagerHost.Build(new ManagerOptions { DataDir = Path.GetTempPath(), MaxWorkers = 0 }));

        Assert.Contains("MaxWorkers must be between 1 and 10000, got 0", error.Message, StringComparison.Ordinal);
    }
}
