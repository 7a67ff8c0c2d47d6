using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class KillTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task Kill_TellsTheTargetToStopTheExecutionsOperations_AndEndsCancelledWithoutWaiting()
    {
        await using var h = EngineHarness.ThreeTier();
        await using var agent = await FakeAgent.StartAsync(h.Broker, d => d.Key == "db_1:" + Lc + "create" ? null : FakeAgent.Success());
        var control = QueueNames.Service(QueueNames.Management);
        await h.Broker.DeclareQueueAsync(control, QueueOptions.Default, TestContext.Current.CancellationToken);
        var kill = new TaskCompletionSource<KillExecutionMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var consumer = await h.Broker.ConsumeAsync(
            control,
            async (m, ct) =>
            {
                kill.TrySetResult(KillExecutionMessage.FromBody(m.Body.Span));
                await m.AckAsync(ct);
            },
            1,
            TestContext.Current.CancellationToken);
        var start = await h.CreateExecutionAsync("install");
        var held = agent.WhenReceived("db_1:" + Lc + "create");

        var run = h.RunAsync(start);
        await held.Within("the held operation to reach the agent");
        Assert.True(await h.Store.TryTransitionExecutionAsync(
            start.ExecutionId,
            new ExecutionTransition { To = ExecutionStatus.KillCancelling, ExpectedFrom = [ExecutionStatus.Started] },
            TestContext.Current.CancellationToken));
        await h.AdvanceEachWaitUntilAsync(kill.Task, h.Options.CancelPollInterval, $"a kill message for {start.ExecutionId} on {control}");

        Assert.Equal(start.ExecutionId, (await kill.Task).ExecutionId);
        Assert.Equal(ExecutionStatus.Cancelled, (await run).Status);
    }
}
