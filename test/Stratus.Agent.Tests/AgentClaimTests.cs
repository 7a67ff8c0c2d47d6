using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Agent.Manager;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;

namespace Stratus.Agent.Tests;

/// <summary>
/// Two agent processes (two hosts, each with its own TaskProcessor and claim id) sharing one manager: a task delivered
/// to both runs once, because each claims the attempt at the manager before running it.
/// </summary>
public sealed class AgentClaimTests : IAsyncLifetime
{
    private readonly InProcessBroker _broker = new();
    private readonly ScriptHarness _harness = new();
    private readonly string _first = "agent-a-" + Guid.NewGuid().ToString("N");
    private readonly string _second = "agent-b-" + Guid.NewGuid().ToString("N");
    private readonly ReplyInbox _replies = new();
    private readonly List<IHost> _hosts = [];
    private IAsyncDisposable? _replyConsumer;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string ReplyQueue => QueueNames.ExecutionResponses("exec-1");

    public async ValueTask InitializeAsync()
    {
        foreach (var name in new[] { _first, _second })
        {
            _hosts.Add(await StartAgentAsync(name));
        }

        _replyConsumer = await _replies.ListenAsync(_broker, ReplyQueue, Cancel);
        await _broker.BindReplyQueueAsync(ReplyQueue, _first, Cancel);
        await _broker.BindReplyQueueAsync(ReplyQueue, _second, Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_replyConsumer is not null)
        {
            await _replyConsumer.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        await _broker.DisposeAsync();
        _harness.Dispose();
    }

    [Fact]
    public async Task SameAttemptDeliveredToTwoAgents_RunsOnce_AndTheLoserAcksWithoutReplying()
    {
        _harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        _harness.Manager.AddResource("scripts/next.sh", "#!/bin/bash\nctx returns next\n");
        var task = NewTask("scripts/once.sh");
        var refused = WhenClaimed(task.Id, granted: false);

        await PublishAsync(_first, task);
        var (message, response) = await _replies.NextAsync($"the first agent's reply to task {task.Id}");
        await PublishAsync(_second, task);
        await refused.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        // Anything the loser sent would come before the reply to a task sent to it afterwards.
        var next = NewTask("scripts/next.sh");
        await PublishAsync(_second, next);
        var (after, _) = await _replies.NextAsync($"the second agent's reply to task {next.Id}");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal(task.Id, message.CorrelationId);
        Assert.Equal(next.Id, after.CorrelationId);
        Assert.Equal("x", _harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        Assert.Equal([true, false], _harness.Manager.ClaimRequests.Where(c => c.OperationId == task.Id).Select(c => c.Granted));
        Assert.Equal(0, _broker.GetReadyCount(QueueNames.Operations(_second)));
    }

    [Fact]
    public async Task NextAttemptOnTheOtherAgent_IsClaimedAndRuns()
    {
        _harness.Manager.AddResource("scripts/count.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        var first = NewTask("scripts/count.sh");

        await PublishAsync(_first, first);
        await _replies.NextAsync("the reply to attempt 0");
        await PublishAsync(_second, WithRetryNumber(first, 1), first.Id + ".retry-1");
        var (message, response) = await _replies.NextAsync("the reply to attempt 1 on the other agent");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal(first.Id + ".retry-1", message.CorrelationId);
        Assert.Equal("xx", _harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
    }

    [Fact]
    public async Task ManagerUnreachableWhileClaiming_IsAskedAgain_ThenTheTaskRunsOnce()
    {
        _harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        _harness.Manager.ClaimFailures.Enqueue(new ManagerApiException("No manager could be reached (simulated)", new HttpRequestException("refused")));
        _harness.Manager.ClaimFailures.Enqueue(new ManagerApiException(HttpStatusCode.ServiceUnavailable, null, "database restarting (simulated)"));
        var task = NewTask("scripts/once.sh");

        await PublishAsync(_first, task);
        var (_, response) = await _replies.NextAsync($"the reply to task {task.Id} after two failed claims");

        Assert.True(response.Ok, response.Error?.Message);
        Assert.Equal("x", _harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        Assert.Equal([true], _harness.Manager.ClaimRequests.Select(c => c.Granted));
    }

    [Fact]
    public async Task ClaimRefusedAsNotFound_RepliesNonRecoverable_WithoutRunning()
    {
        _harness.Manager.ClaimFailures.Enqueue(new ManagerApiException(HttpStatusCode.NotFound, "not_found_error", "Requested `Operation` was not found"));
        var task = NewTask("scripts/never.sh");

        await PublishAsync(_first, task);
        var (_, response) = await _replies.NextAsync($"the reply to task {task.Id}");

        Assert.False(response.Ok);
        Assert.Equal(TaskError.NonRecoverable, response.Error?.KnownExceptionType);
        Assert.Contains("Could not claim operation", response.Error?.Message, StringComparison.Ordinal);
        Assert.Null(_harness.Manager.RuntimeProperties("vm_1")["runs"]);
    }

    [Fact]
    public async Task FinishedAttemptRedeliveredToItsAgentStartedAgain_IsRefused_AndAckedWithoutRunningOrReplying()
    {
        _harness.Manager.AddResource("scripts/once.sh", "#!/bin/bash\nctx instance runtime-properties runs \"x$(ctx instance runtime-properties runs 2>/dev/null)\"\n");
        _harness.Manager.AddResource("scripts/next.sh", "#!/bin/bash\nctx returns next\n");
        var task = NewTask("scripts/once.sh");
        await PublishAsync(_first, task);
        await _replies.NextAsync($"the reply to task {task.Id}");
        // The engine stored the reply; the agent died before its ack, so the broker delivers the attempt again to the
        // same agent started anew (same name, so the same claimant, and no memory of what it ran).
        _harness.Manager.FinishAttempt(task.Id, 0);
        await StopAgentAsync(0);
        _hosts.Add(await StartAgentAsync(_first));
        var refused = WhenClaimed(task.Id, granted: false);

        await PublishAsync(_first, task);
        await refused.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        var next = NewTask("scripts/next.sh");
        await PublishAsync(_first, next);
        var (after, _) = await _replies.NextAsync($"the restarted agent's reply to task {next.Id}");

        Assert.Equal(next.Id, after.CorrelationId);
        Assert.Equal("x", _harness.Manager.RuntimeProperties("vm_1")["runs"]?.GetValue<string>());
        var claims = _harness.Manager.ClaimRequests.Where(c => c.OperationId == task.Id).ToList();
        Assert.Equal([true, false], claims.Select(c => c.Granted));
        Assert.Equal(claims[0].ClaimId, claims[1].ClaimId);
        Assert.Equal(0, _broker.GetReadyCount(QueueNames.Operations(_first)));
    }

    private async Task<IHost> StartAgentAsync(string name)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IMessageBroker>(_broker);
        builder.Services.AddSingleton<IManagerApiFactory>(_harness.Manager);
        builder.Services.AddStratusAgent(o =>
        {
            o.Name = name;
            o.WorkDirectory = _harness.WorkDirectory;
            o.LogFlushInterval = TimeSpan.FromMilliseconds(20);
        });
        var host = builder.Build();
        await host.StartAsync(Cancel);
        return host;
    }

    private async Task StopAgentAsync(int index)
    {
        var host = _hosts[index];
        _hosts.RemoveAt(index);
        await host.StopAsync(Cancel);
        host.Dispose();
    }

    private Task WhenClaimed(string operationId, bool granted)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Manager.AfterClaim = (id, g) =>
        {
            if (id == operationId && g == granted)
            {
                done.TrySetResult();
            }
        };
        return done.Task;
    }

    private static TaskMessage NewTask(string scriptPath)
    {
        var context = TestTasks.Context();
        var kwargs = TestTasks.Kwargs(scriptPath);
        kwargs[TaskContext.KwargName] = JsonSerializer.SerializeToNode(context);
        return new TaskMessage { Id = context.TaskId, CloudifyTask = new CloudifyTask { Kwargs = kwargs } };
    }

    private static TaskMessage WithRetryNumber(TaskMessage task, int retryNumber)
    {
        var kwargs = task.CloudifyTask.Kwargs.DeepClone().AsObject();
        kwargs[TaskContext.KwargName]!["operation"]!["retry_number"] = retryNumber;
        return task with { CloudifyTask = new CloudifyTask { Kwargs = kwargs } };
    }

    private Task PublishAsync(string agent, TaskMessage task, string? correlationId = null) => _broker.PublishAsync(
        QueueNames.Operations(agent),
        new OutgoingMessage
        {
            Body = JsonSerializer.SerializeToUtf8Bytes(task),
            CorrelationId = correlationId ?? task.Id,
            ReplyTo = ReplyQueue,
            MessageId = correlationId ?? task.Id,
        },
        Cancel);
}
