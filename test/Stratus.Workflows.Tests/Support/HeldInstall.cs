using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Workflows.Tests.Support;

/// <summary>
/// An install whose first operation the agent holds, stored as sent, run by an engine that can then die (kill -9):
/// where the resume and takeover tests start from. The agent's script must hold (answer null) the first delivery.
/// </summary>
internal sealed class HeldInstall : IDisposable
{
    private readonly CancellationTokenSource _crash;
    private readonly Task _run;

    private HeldInstall(WorkflowStartMessage start, Delivery pending, CancellationTokenSource crash, Task run)
    {
        Start = start;
        Pending = pending;
        _crash = crash;
        _run = run;
    }

    public WorkflowStartMessage Start { get; }

    /// <summary>The held operation as the agent received it.</summary>
    public Delivery Pending { get; }

    public string TaskId => Pending.Context["task_id"]!.GetValue<string>();

    public static async Task<HeldInstall> StartAsync(EngineHarness h, IMessageBroker broker, FakeAgent agent)
    {
        var start = await h.CreateExecutionAsync("install");
        var crash = new CancellationTokenSource();
        var first = agent.WhenAny(_ => true);
        var run = h.NewEngine(broker).RunAsync(start.ExecutionId, start, null, crash.Token);
        var pending = await first.Within("the first operation to reach the agent");
        var held = new HeldInstall(start, pending, crash, run);
        await h.Memory.WhenOperationState(held.TaskId, "sent").Within($"operation {held.TaskId} to be stored as sent");
        return held;
    }

    /// <summary>The manager dies with the run: the run stops where it is and the execution stays started.</summary>
    public async Task CrashAsync()
    {
        await _crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run);
    }

    public void Dispose() => _crash.Dispose();
}
