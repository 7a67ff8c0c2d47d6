using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent;

/// <summary>
/// Consumes the agent's operation queue and its service queue (Cloudify's <c>service</c> routing key: pings and kill
/// requests) while the host runs. Every answer goes out through the agent's own direct exchange with the reply queue's
/// name as routing key (<see cref="IMessageBroker.PublishToExchangeAsync"/>), the only exchange a restricted broker user
/// of the agent may write to.
/// </summary>
internal sealed partial class AgentService(
    IMessageBroker broker,
    TaskProcessor processor,
    ExecutionKills kills,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentService> logger) : IHostedService, IAsyncDisposable
{
    private IAsyncDisposable? _consumer;
    private IAsyncDisposable? _control;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var queue = QueueNames.Operations(options.Value.Name);
        Directory.CreateDirectory(options.Value.WorkDirectory);
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, cancellationToken);
        var control = QueueNames.Service(options.Value.Name);
        await broker.DeclareQueueAsync(control, QueueOptions.Default, cancellationToken);
        // The control queue first: a kill must reach this agent even while every operation slot is busy.
        _control = await broker.ConsumeAsync(control, HandleControlAsync, 16, cancellationToken);
        _consumer = await broker.ConsumeAsync(queue, processor.HandleAsync, options.Value.Parallelism, cancellationToken);
        LogStarted(logger, options.Value.Name, queue, options.Value.Parallelism);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Operations still running are cancelled; their messages stay unacked and are redelivered (at-least-once).
        if (Interlocked.Exchange(ref _consumer, null) is { } consumer)
        {
            await consumer.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _control, null) is { } control)
        {
            await control.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task HandleControlAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        if (ServiceTaskMessage.TryRead(message.Body.Span) is { } service)
        {
            await HandleServiceTaskAsync(message, service.Task, cancellationToken);
            return;
        }

        KillExecutionMessage kill;
        try
        {
            kill = KillExecutionMessage.FromBody(message.Body.Span);
        }
        catch (FormatException ex)
        {
            LogUnreadableControl(logger, ex.Message);
            await message.NackAsync(requeue: false, cancellationToken);
            return;
        }

        if (kill.TaskId is { } taskId)
        {
            LogKillTask(logger, taskId, kill.ExecutionId);
            kills.KillTask(taskId);
        }
        else
        {
            LogKill(logger, kill.ExecutionId);
            kills.Kill(kill.ExecutionId);
        }

        await message.AckAsync(cancellationToken);
    }

    private async Task HandleServiceTaskAsync(IncomingMessage message, ServiceTask task, CancellationToken cancellationToken)
    {
        if (task.TaskName != ServiceTaskMessage.Ping)
        {
            LogUnknownServiceTask(logger, task.TaskName);
        }
        else if (!string.IsNullOrEmpty(message.ReplyTo))
        {
            try
            {
                await broker.PublishToExchangeAsync(
                    options.Value.Name,
                    message.ReplyTo,
                    new OutgoingMessage { Body = ServiceTaskMessage.PingReply(time.GetUtcNow()), CorrelationId = message.CorrelationId },
                    cancellationToken);
            }
            catch (QueueNotFoundException)
            {
                // The pinger gave up and its reply queue went with it: nobody waits for this answer.
                LogLatePing(logger, message.ReplyTo);
            }
        }

        await message.AckAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring service task {TaskName}: this agent answers only ping")]
    private static partial void LogUnknownServiceTask(ILogger logger, string taskName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ping answered too late: {ReplyQueue} is gone")]
    private static partial void LogLatePing(ILogger logger, string replyQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killing the operations of execution {ExecutionId}")]
    private static partial void LogKill(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping task {TaskId} of execution {ExecutionId}")]
    private static partial void LogKillTask(ILogger logger, string taskId, string executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropping an unreadable control message: {Problem}")]
    private static partial void LogUnreadableControl(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} consuming {Queue} with {Parallelism} operations at a time")]
    private static partial void LogStarted(ILogger logger, string agentName, string queue, int parallelism);
}
