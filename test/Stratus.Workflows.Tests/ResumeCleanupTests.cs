using Stratus.Core.Model;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

/// <summary>
/// A resumed install cleans up as Cloudify's does before it sends again an operation that was in flight: delete
/// before a second create of an instance left <c>creating</c>, stop before a second start of one left
/// <c>starting</c>; and it names every re-sent operation in the execution's events.
/// </summary>
public sealed class ResumeCleanupTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task ResumedInstall_DeletesBeforeCreatingAgain_WhenInstanceWasLeftCreating()
    {
        var (h, agent, start, sentBefore) = await CrashWhileHeldAsync("app_1:" + Lc + "create", "Creating node instance");
        await using (h)
        await using (agent)
        {
            var resent = agent.WhenReceived("app_1:" + Lc + "create", occurrence: 2);
            var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
            // The agent answers this second delivery itself (it holds only the first).
            await resent.Within("the resumed engine to send app_1's create again");
            await resumed.Within("the resumed install to end");

            var execution = (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!;
            Assert.Equal(ExecutionStatus.Terminated, execution.Status);
            var after = agent.Order.Skip(sentBefore).ToList();
            Assert.Equal(["app_1:" + Lc + "delete", "app_1:" + Lc + "create"], after.Take(2));
            Assert.Equal(NodeInstanceState.Started, (await h.InstanceAsync("app_1")).State);
            var events = await h.NodeEventsOfAsync(start.ExecutionId);
            var rollback = events.ToList().IndexOf("app_1: Rolling back prior to resuming install");
            Assert.True(rollback >= 0, string.Join('\n', events));
            Assert.True(rollback < events.ToList().IndexOf("app_1: Finished rolling back, now resuming install"));
            Assert.Contains(
                "app_1: Re-sending task 'script_runner.tasks.run' (cloudify.interfaces.lifecycle.create): it was in flight when the previous manager stopped and may run twice",
                events);
            Assert.Single(await h.Store.ListTaskGraphsAsync(start.ExecutionId, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task ResumedInstall_StopsBeforeStartingAgain_WhenInstanceWasLeftStarting()
    {
        var (h, agent, start, sentBefore) = await CrashWhileHeldAsync("app_1:" + Lc + "start", "Starting node instance");
        await using (h)
        await using (agent)
        {
            var resent = agent.WhenReceived("app_1:" + Lc + "start", occurrence: 2);
            var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
            // The agent answers this second delivery itself (it holds only the first).
            await resent.Within("the resumed engine to send app_1's start again");
            await resumed.Within("the resumed install to end");

            Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!.Status);
            Assert.Equal(["app_1:" + Lc + "stop", "app_1:" + Lc + "start"], agent.Order.Skip(sentBefore).Take(2));
            Assert.DoesNotContain("app_1:" + Lc + "delete", agent.Order);
            Assert.Contains("app_1: Stopped node instance", await h.NodeEventsOfAsync(start.ExecutionId));
        }
    }

    [Fact]
    public async Task ResumedInstall_IgnoresFailedCleanup_AndStillInstalls()
    {
        var (h, agent, start, _) = await CrashWhileHeldAsync("app_1:" + Lc + "create", "Creating node instance");
        await using (h)
        await using (agent)
        {
            agent.Override = d => d.Key == "app_1:" + Lc + "delete" ? FakeAgent.Failure(Stratus.Contracts.Tasks.TaskError.NonRecoverable, "nothing to delete") : null;
            var resent = agent.WhenReceived("app_1:" + Lc + "create", occurrence: 2);
            var resumed = h.NewEngine().RunAsync(start.ExecutionId, null, null, TestContext.Current.CancellationToken);
            // The agent answers this second delivery itself (it holds only the first).
            await resent.Within("the resumed engine to send app_1's create again");
            await resumed.Within("the resumed install to end");

            Assert.Equal(ExecutionStatus.Terminated, (await h.Store.GetExecutionAsync(null, start.ExecutionId, TestContext.Current.CancellationToken))!.Status);
            Assert.Equal(NodeInstanceState.Started, (await h.InstanceAsync("app_1")).State);
        }
    }

    /// <summary>Runs install until <paramref name="held"/> reaches the agent and its instance's state is stored, then stops the engine as a crash would.</summary>
    private static async Task<(EngineHarness, FakeAgent, Contracts.Tasks.WorkflowStartMessage, int)> CrashWhileHeldAsync(string held, string stateEvent)
    {
        var h = EngineHarness.ThreeTier();
        FakeAgent? agent = null;
        agent = await FakeAgent.StartAsync(h.Broker, d => agent!.Override?.Invoke(d) ?? (d.Key == held && agent.Order.Count(k => k == held) == 1 ? null : FakeAgent.Success()));
        var start = await h.CreateExecutionAsync("install");
        var reached = agent.WhenReceived(held);
        var instance = held.Split(':')[0];
        var stored = h.Memory.WhenEvent(e => e.NodeInstanceId == instance && e.Message == stateEvent);
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var first = h.NewEngine().RunAsync(start.ExecutionId, start, null, crash.Token);
        await reached.Within($"{held} to reach the agent");
        await stored.Within($"the event '{stateEvent}' of {instance} to be stored");
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within("the first engine to stop after its crash token fired"));
        return (h, agent, start, agent.Deliveries.Count);
    }
}
