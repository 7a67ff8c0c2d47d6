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
/// Agents hosted as the agent process hosts them, on one in-process broker and one fake manager, seen from the
/// engine's side: tasks published to an agent's queue, replies read from one reply queue bound to every agent.
/// </summary>
internal sealed class AgentRig : IAsyncDisposable
{
    private readonly List<(string Name, IHost Host)> _hosts = [];
    private IAsyncDisposable? _replyConsumer;

    public static string ReplyQueue => QueueNames.ExecutionResponses("exec-1");

    public InProcessBroker Broker { get; } = new();

    public ScriptHarness Harness { get; } = new();

    public ReplyInbox Replies { get; } = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Starts an agent named <paramref name="name"/> and, as the engine does before sending, binds the reply queue to its exchange.</summary>
    public async Task StartAgentAsync(string name, int? parallelism = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IMessageBroker>(Broker);
        builder.Services.AddSingleton<IManagerApiFactory>(Harness.Manager);
        builder.Services.AddStratusAgent(o =>
        {
            o.Name = name;
            o.Parallelism = parallelism ?? o.Parallelism;
            o.WorkDirectory = Harness.WorkDirectory;
            o.LogFlushInterval = TimeSpan.FromMilliseconds(20);
        });
        var host = builder.Build();
        await host.StartAsync(Cancel);
        _hosts.Add((name, host));
        _replyConsumer ??= await Replies.ListenAsync(Broker, ReplyQueue, Cancel);
        await Broker.BindReplyQueueAsync(ReplyQueue, name, Cancel);
    }

    /// <summary>Stops the agent named <paramref name="name"/> as its process would stop.</summary>
    public async Task StopAgentAsync(string name)
    {
        var index = _hosts.FindIndex(h => h.Name == name);
        var host = _hosts[index].Host;
        _hosts.RemoveAt(index);
        await host.StopAsync(Cancel);
        host.Dispose();
    }

    public Task PublishAsync(string agent, TaskMessage task, string? correlationId = null) => Broker.PublishAsync(
        QueueNames.Operations(agent),
        new OutgoingMessage
        {
            Body = JsonSerializer.SerializeToUtf8Bytes(task),
            CorrelationId = correlationId ?? task.Id,
            ReplyTo = ReplyQueue,
            MessageId = correlationId ?? task.Id,
        },
        Cancel);

    public static TaskMessage NewTask(string scriptPath, JsonObject? inputs = null, string taskName = "script_runner.tasks.run")
    {
        var context = TestTasks.Context(taskName: taskName);
        var kwargs = TestTasks.Kwargs(scriptPath, inputs);
        kwargs[TaskContext.KwargName] = JsonSerializer.SerializeToNode(context);
        return new TaskMessage { Id = context.TaskId, CloudifyTask = new CloudifyTask { Kwargs = kwargs } };
    }

    public static TaskMessage WithRetryNumber(TaskMessage task, int retryNumber)
    {
        var kwargs = task.CloudifyTask.Kwargs.DeepClone().AsObject();
        kwargs[TaskContext.KwargName]!["operation"]!["retry_number"] = retryNumber;
        return task with { CloudifyTask = new CloudifyTask { Kwargs = kwargs } };
    }

    public async ValueTask DisposeAsync()
    {
        if (_replyConsumer is not null)
        {
            await _replyConsumer.DisposeAsync();
        }

        foreach (var (_, host) in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        await Broker.DisposeAsync();
        Harness.Dispose();
    }
}
