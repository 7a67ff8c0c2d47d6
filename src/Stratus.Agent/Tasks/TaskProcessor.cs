using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Stratus.Agent.Ctx;
using Stratus.Agent.Manager;
using Stratus.Agent.Scripts;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent.Tasks;

/// <summary>
/// Handles one delivered operation task: runs it (once per attempt, however often it is delivered: see
/// <see cref="AttemptMemory"/>), replies to its reply queue with the task id as correlation id, then acks.
/// </summary>
internal sealed partial class TaskProcessor(
    ScriptRunner scripts,
    Installer.AgentInstaller installer,
    IManagerApiFactory managers,
    AttemptMemory attempts,
    OperationClaimer claimer,
    ExecutionKills kills,
    IMessageBroker broker,
    Microsoft.Extensions.Options.IOptions<AgentOptions> options,
    ILogger<TaskProcessor> logger)
{
    public async Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        if (!TryRead(message, out var task, out var context, out var problem))
        {
            LogPoisonMessage(logger, message.MessageId, problem);
            await message.NackAsync(requeue: false, cancellationToken);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ExecutionId"] = context.ExecutionId,
            ["DeploymentId"] = context.DeploymentId,
            ["TaskId"] = task.Id,
        });

        if (kills.IsKilled(context.ExecutionId))
        {
            // Still queued when its execution was killed: dropped without running (Cloudify's ProcessKillCancelled).
            await ReplyAsync(message, task.Id, Killed(context.ExecutionId), cancellationToken);
            await message.AckAsync(cancellationToken);
            return;
        }

        // A retry re-sends the same task id with the next retry number: that is a new run, not a duplicate.
        var attempt = (int)(JsonRead.Long(context.Operation["retry_number"]) ?? 0);
        var attemptKey = AttemptMemory.Key(task.Id, attempt);
        while (attempts.Begin(attemptKey, out var stored, out var outcome) is var sight && sight != AttemptSight.New)
        {
            if (sight == AttemptSight.Finished)
            {
                LogDuplicate(logger, task.Id);
                await ReplyAsync(message, task.Id, stored!, cancellationToken);
                await message.AckAsync(cancellationToken);
                return;
            }

            // Held unsettled until the delivery in flight ends (it holds a prefetch slot meanwhile): after a channel
            // loss this copy is the only one the broker still has, and acking it now would lose the task should this
            // agent die before that run replies. Then it gets the same reply, or, if nothing ran, takes the attempt up.
            LogInFlightCopy(logger, task.Id, attempt);
            await outcome!.WaitAsync(cancellationToken);
        }

        var response = await ClaimAndRunAsync(task, context, attempt, attemptKey, cancellationToken);
        if (response is null)
        {
            // Another agent holds this attempt (or it succeeded): it runs and replies there, so this copy is
            // dropped without a reply, which could only be a second answer.
            await message.AckAsync(cancellationToken);
            return;
        }

        // checkpoint: reply before ack. Dying in between redelivers the task; the engine ignores a second reply for a
        // task id it has already settled, and this agent answers from its memory of attempts if it still can.
        await ReplyAsync(message, task.Id, response, cancellationToken);
        await message.AckAsync(cancellationToken);
    }

    /// <summary>
    /// Runs the attempt if this agent wins its claim, and leaves it in <see cref="AttemptMemory"/> as finished with its
    /// reply if it ran (before that reply is sent, so a copy arriving meanwhile gets the same one), forgotten if not.
    /// Null when another agent holds it.
    /// </summary>
    private async Task<TaskResponse?> ClaimAndRunAsync(TaskMessage task, TaskContext context, int attempt, string attemptKey, CancellationToken cancellationToken)
    {
        var ran = false;
        TaskResponse? response = null;
        try
        {
            using var kill = kills.Register(context.ExecutionId, cancellationToken, task.Id);
            try
            {
                // Checkpoint: the claim is stored before anything runs. Dying after it leaves the attempt claimed by
                // this agent: started again, it claims the redelivered attempt again; a standalone agent that stays
                // down has it retried as a new attempt once its heartbeat stops; a manager's own agent's claim is
                // taken over by another manager's agent once that manager's row ages out and the run releases it.
                var verdict = await claimer.ClaimAsync(managers.Create(context), task.Id, attempt, kill.Token);
                ran = verdict.Run;
                response = verdict switch
                {
                    { Run: true } => await RunAsync(task, context, kill.Token),
                    { UnclaimedBy: { } claimId, FailureKind: { } kind } => NotClaimed(kind, verdict.FailureMessage ?? string.Empty, claimId),
                    { FailureKind: { } kind } => Failure(kind, kind, verdict.FailureMessage ?? string.Empty, retryAfter: null),
                    _ => null,
                };
            }
            catch (OperationCanceledException) when (kill.Token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogKilled(logger, task.Id, context.ExecutionId);
                response = Killed(context.ExecutionId);
            }
        }
        finally
        {
            if (ran && response is not null)
            {
                attempts.Finish(attemptKey, response);
            }
            else
            {
                // Nothing ran (refused, not answered, killed while claiming), or the agent is stopping mid-run.
                attempts.Forget(attemptKey);
            }
        }

        return response;
    }

    private async Task<TaskResponse> RunAsync(TaskMessage task, TaskContext context, CancellationToken cancellationToken)
    {
        var operation = JsonRead.String(context.Operation["name"]);
        LogStarting(logger, context.TaskName, operation, context.NodeId);
        try
        {
            var result = context.TaskName switch
            {
                ScriptRunner.TaskName => await scripts.RunAsync(context, task.CloudifyTask.Kwargs, managers.Create(context), cancellationToken),
                var name when Installer.AgentInstaller.Handles(name) =>
                    await installer.RunAsync(context, task.CloudifyTask.Kwargs, managers.Create(context), cancellationToken),
                QueueNames.ExecuteWorkflowTask => await RunWorkflowScriptAsync(context, task.CloudifyTask.Kwargs, cancellationToken),
                _ => throw OperationException.NonRecoverable(
                    $"Task {context.TaskName} not found: this agent runs only {ScriptRunner.TaskName} operations and the built-in agent installer's"),
            };
            LogSucceeded(logger, context.TaskName);
            return new TaskResponse { Ok = true, Result = result };
        }
        catch (OperationException ex)
        {
            LogFailed(logger, context.TaskName, ex.Kind, ex.Message);
            return Failure(ex.Kind, ex.Kind, ex.Message, ex.RetryAfter);
        }
#pragma warning disable CA1031 // Any failure must become a reply: an exception here would only redeliver the task
        // until it is dead-lettered, leaving the workflow waiting for an answer that never comes.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogFailed(logger, context.TaskName, TaskError.Recoverable, ex.Message);
            return Failure(ex.GetType().Name, TaskError.Recoverable, ex.Message, retryAfter: null);
        }
    }

    /// <summary>A workflow implemented by a script: the script runs with the workflow's ctx and a line to the engine.</summary>
    private async Task<JsonNode?> RunWorkflowScriptAsync(TaskContext context, JsonObject kwargs, CancellationToken cancellationToken)
    {
        await using var operations = await WorkflowOperations.OpenAsync(broker, context, cancellationToken);
        return await scripts.RunAsync(context, kwargs, managers.Create(context), operations, cancellationToken);
    }

    private TaskResponse Killed(string executionId) => kills.IsKilled(executionId)
        ? Failure(TaskError.NonRecoverable, TaskError.NonRecoverable, $"Operation killed: execution {executionId} was kill-cancelled", retryAfter: null)
        : Failure(TaskError.NonRecoverable, TaskError.NonRecoverable, $"Stopped: execution {executionId} was cancelled", retryAfter: null);

    /// <summary>A recoverable failure that says this agent could not claim the attempt, naming the claim id it tried.</summary>
    private static TaskResponse NotClaimed(string kind, string message, string claimId)
    {
        var failure = Failure(TaskError.NotClaimed, kind, message, retryAfter: null);
        return failure with { Error = failure.Error! with { KnownExceptionTypeKwargs = new JsonObject { [TaskError.ClaimIdKwarg] = claimId } } };
    }

    private static TaskResponse Failure(string exceptionType, string kind, string message, double? retryAfter) => new()
    {
        Ok = false,
        Error = new TaskError
        {
            ExceptionType = exceptionType,
            Message = message,
            KnownExceptionType = kind,
            KnownExceptionTypeArgs = kind == TaskError.NonRecoverable ? [] : [retryAfter is { } after ? JsonValue.Create(after) : null],
            KnownExceptionTypeKwargs = [],
        },
    };

    private async Task ReplyAsync(IncomingMessage message, string taskId, TaskResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(message.ReplyTo))
        {
            return;
        }

        try
        {
            // Cloudify's consumer replies on its own exchange; the dispatcher bound the reply queue to it.
            await broker.PublishToExchangeAsync(
                options.Value.Name,
                message.ReplyTo,
                new OutgoingMessage
                {
                    Body = JsonSerializer.SerializeToUtf8Bytes(response),
                    CorrelationId = message.CorrelationId ?? taskId,
                    MessageId = taskId,
                },
                cancellationToken);
        }
        catch (QueueNotFoundException)
        {
            // The execution's reply queue is gone (cancelled with kill): nobody waits for this answer.
            LogReplyQueueGone(logger, taskId, message.ReplyTo);
        }
    }

    private static bool TryRead(IncomingMessage message, out TaskMessage task, out TaskContext context, out string problem)
    {
        task = null!;
        context = null!;
        try
        {
            task = JsonSerializer.Deserialize<TaskMessage>(message.Body.Span)!;
            if (task?.CloudifyTask.Kwargs[TaskContext.KwargName] is not JsonObject raw)
            {
                problem = $"no {TaskContext.KwargName} in the task's kwargs";
                return false;
            }

            context = raw.Deserialize<TaskContext>()!;
            problem = string.Empty;
            return context is not null;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} killed: execution {ExecutionId} was kill-cancelled")]
    private static partial void LogKilled(ILogger logger, string taskId, string executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettering unreadable task message {MessageId}: {Problem}")]
    private static partial void LogPoisonMessage(ILogger logger, string? messageId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} was already completed; sending its stored reply again")]
    private static partial void LogDuplicate(ILogger logger, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} attempt {Attempt} is already in flight here; this copy waits for its reply")]
    private static partial void LogInFlightCopy(ILogger logger, string taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Running {TaskName} {Operation} on {NodeInstanceId}")]
    private static partial void LogStarting(ILogger logger, string taskName, string? operation, string? nodeInstanceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{TaskName} succeeded")]
    private static partial void LogSucceeded(ILogger logger, string taskName);

    [LoggerMessage(Level = LogLevel.Information, Message = "{TaskName} failed ({Kind}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string taskName, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply to task {TaskId} dropped: reply queue {ReplyTo} no longer exists")]
    private static partial void LogReplyQueueGone(ILogger logger, string taskId, string replyTo);
}
