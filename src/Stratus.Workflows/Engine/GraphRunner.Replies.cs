using Stratus.Core.Model;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

internal sealed partial class GraphRunner
{
    /// <summary>Broker side: hand the reply to the loop and ack only after the loop stored its effect.</summary>
    private async Task OnReplyAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        if (WorkflowRequest.TryRead(message.Body.Span) is { } request)
        {
            await OnRequestAsync(message, request, cancellationToken);
            return;
        }

        TaskResponse? response;
        try
        {
            response = JsonSerializer.Deserialize<TaskResponse>(message.Body.Span);
        }
        catch (JsonException ex)
        {
            Log.UnreadableMessage(_logger, ReplyQueue, ex);
            await message.NackAsync(requeue: false, cancellationToken);
            return;
        }

        if (response is null || message.CorrelationId is null)
        {
            await message.NackAsync(requeue: false, cancellationToken);
            return;
        }

        var (taskId, attempt) = Reply.ParseCorrelationId(message.CorrelationId);
        var reply = new Reply(taskId, attempt, response);
        if (!_replies.Writer.TryWrite(reply))
        {
            // The run is over: nothing waits for this reply any more.
            await message.AckAsync(cancellationToken);
            return;
        }

        await reply.Handled.Task.WaitAsync(cancellationToken);
        await message.AckAsync(cancellationToken);
    }

    /// <summary>Applies one reply; a reply for a task that is not in flight (a duplicate, a stale attempt) is ignored.</summary>
    private async Task HandleReplyAsync(Reply reply, CancellationToken cancellationToken)
    {
        if (reply.Request is not null)
        {
            await HandleRequestAsync(reply, cancellationToken);
            return;
        }

        if (reply.PingedAgent is not null)
        {
            await HandlePingAsync(reply, cancellationToken);
            return;
        }

        AdoptResumedAttempt(reply);
        if (!_tasks.TryGetValue(reply.TaskId, out var task) || !_inFlight.Contains(task.Id) || reply.Attempt != task.CurrentRetries)
        {
            Log.ReplyIgnored(_logger, reply.TaskId);
            return;
        }

        if (await HeldByAnotherClaimantAsync(task, reply, cancellationToken))
        {
            return;
        }

        _inFlight.Remove(task.Id);
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["OperationId"] = task.Id,
            ["OperationName"] = task.OperationName,
            ["NodeInstanceId"] = task.NodeInstanceId,
        });
        var stored = task.CloudifyContext;
        var nodeName = GraphTask.Text(stored, "node_name");
        if (reply.Response.Ok)
        {
            await RunResultHandlerAsync(task, task.OnSuccess, true, reply.Response.Result, cancellationToken);
            SetState(task, OperationStates.Succeeded);
            var result = reply.Response.Result switch
            {
                null => null,
                JsonValue v when v.TryGetValue(out string? text) => text,
                var other => other.ToJsonString(),
            };
            if (task.SendTaskEvents)
            {
                await _events.AddAsync(
                    Keyed(_eventFactory.Create("task_succeeded", ErrorText.TaskEvent(task, OperationStates.Succeeded, result), task.NodeInstanceId, nodeName, task.OperationName), task),
                    cancellationToken);
            }

            Log.OperationEnded(_logger, task.Id, OperationStates.Succeeded);
            return;
        }

        var error = reply.Response.Error ?? new TaskError { ExceptionType = "Exception", Message = "The operation failed without an error." };
        var known = error.KnownExceptionType ?? TaskError.Recoverable;
        var rescheduled = known == TaskError.OperationRetry;
        var retryable = known is TaskError.Recoverable or TaskError.OperationRetry;
        var canRetry = (rescheduled || (retryable && !task.HasFailureHandler))
            && (task.TotalRetries < 0 || task.CurrentRetries < task.TotalRetries);
        task.Error = ErrorText.ToJson(error);
        var state = rescheduled ? OperationStates.Rescheduled : OperationStates.Failed;
        if (task.SendTaskEvents)
        {
            await _events.AddAsync(
                Keyed(
                _eventFactory.Create(
                    rescheduled ? "task_rescheduled" : "task_failed",
                    ErrorText.TaskEvent(task, state, error.Message),
                    task.NodeInstanceId,
                    nodeName,
                    task.OperationName,
                    error.KnownExceptionTypeKwargs?["causes"]?.DeepClone() as JsonArray),
                task),
                cancellationToken);
        }

        if (canRetry)
        {
            var retryAfter = error.KnownExceptionTypeArgs is [var first, ..] && GraphTask.Number(first) is { } seconds && seconds >= 0
                ? seconds
                : task.RetryInterval;
            task.CurrentRetries++;
            task.ExecuteAfter = _time.GetUtcNow() + TimeSpan.FromSeconds(retryAfter);
            // Stored as pending: a restart resends the retry (with its counter starting over).
            SetState(task, OperationStates.Pending);
            _delayed.Add(task);
            Log.OperationEnded(_logger, task.Id, state);
            return;
        }

        SetState(task, OperationStates.Failed);
        Log.OperationEnded(_logger, task.Id, OperationStates.Failed);
        await SettleFailureAsync(task, cancellationToken);
    }

    /// <summary>
    /// A task failed for good: its on_failure handler runs (check results are stored), then the failure is either
    /// ignored (with a node event for uninstall's ignore_failure) or fails its subgraphs.
    /// </summary>
    private async Task SettleFailureAsync(GraphTask task, CancellationToken cancellationToken)
    {
        await RunResultHandlerAsync(task, task.OnFailure, false, task.Error?["message"]?.DeepClone(), cancellationToken);
        if (task.IgnoreFailure)
        {
            if (TaskHandlers.Path(task.OnFailure) == TaskHandlers.SendNodeEvent)
            {
                await _events.AddAsync(
                    _eventFactory.Create("workflow_node_event", $"Ignoring task {task.Name} failure", task.NodeInstanceId),
                    cancellationToken);
            }

            return;
        }

        await FailContainingAsync(task, task, cancellationToken);
    }
}
