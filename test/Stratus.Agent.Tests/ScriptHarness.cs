using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stratus.Agent.Scripts;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

/// <summary>A script runner against a <see cref="FakeManagerApi"/>, with a private work directory.</summary>
internal sealed class ScriptHarness : IDisposable
{
    public ScriptHarness()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("stratus-agent-tests-").FullName;
        Options = new AgentOptions { WorkDirectory = WorkDirectory, LogFlushInterval = TimeSpan.FromMilliseconds(20), OutputDrainTimeout = TimeSpan.FromMilliseconds(300) };
        Runner = new ScriptRunner(Microsoft.Extensions.Options.Options.Create(Options), Proxy, TimeProvider.System, NullLogger<ScriptRunner>.Instance);
        Manager = new FakeManagerApi()
            .AddNode("vm", new JsonObject { ["port"] = 8080, ["nested"] = new JsonObject { ["list"] = new JsonArray("a", "b") } })
            .AddInstance("vm_1", "vm");
    }

    public string WorkDirectory { get; }

    public AgentOptions Options { get; }

    public Ctx.CtxProxyServer Proxy { get; } = new();

    public ScriptRunner Runner { get; }

    public FakeManagerApi Manager { get; }

    public Task<JsonNode?> RunAsync(string script, JsonObject? inputs = null, TaskContext? context = null, string name = "scripts/op.sh")
    {
        Manager.AddResource(name, script);
        return Runner.RunAsync(context ?? TestTasks.Context(), TestTasks.Kwargs(name, inputs), Manager, TestContext.Current.CancellationToken);
    }

    public async Task<OperationException> FailAsync(string script, JsonObject? inputs = null, TaskContext? context = null, string name = "scripts/op.sh") =>
        await Assert.ThrowsAsync<OperationException>(() => RunAsync(script, inputs, context, name));

    public void Dispose()
    {
        Proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the system temp directory.
        }
    }
}
