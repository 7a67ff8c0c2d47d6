using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stratus.Agent.Ctx;

namespace Stratus.Agent.Tests;

public sealed class OperationLogTests
{
    [Fact]
    public async Task FullBatch_IsSentAtOnce_WithoutWaitingForTheFlushInterval()
    {
        var manager = new FakeManagerApi();
        var posted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.AfterPost = size => posted.TrySetResult(size);
        var time = new FakeTimeProvider();
        await using var log = new OperationLog(manager, LogContext.From(TestTasks.Context()), time, TimeSpan.FromHours(1), NullLogger.Instance);

        for (var i = 0; i < 100; i++)
        {
            log.Log("info", $"line {i}");
        }

        var size = await posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException(
                "Expected a POST /events with 100 lines while the 1 h flush interval had not passed; none was sent."), TaskScheduler.Default);
        Assert.Equal(100, size);
    }

    [Fact]
    public async Task Dispose_SendsWhatIsPending_InOrder()
    {
        var manager = new FakeManagerApi();
        var log = new OperationLog(manager, LogContext.From(TestTasks.Context()), new FakeTimeProvider(), TimeSpan.FromHours(1), NullLogger.Instance);
        log.Log("info", "first");
        log.Event("task_started", "started");
        log.Log("error", "second");

        await log.DisposeAsync();

        Assert.Equal(["first", "second"], manager.LogTexts);
        Assert.Equal("task_started", Assert.Single(manager.Events)["event_type"]?.GetValue<string>());
        Assert.Equal("error", manager.Logs[1]["level"]?.GetValue<string>());
    }
}
