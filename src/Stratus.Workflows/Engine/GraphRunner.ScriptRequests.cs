using Stratus.Core.Model;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Operations asked for by a workflow script (<see cref="Lifecycle.ScriptWorkflow"/>): each request becomes a remote
/// task stored in the running graph, dispatched, retried and reported like any other, and its end is answered to the
/// script. A request is known by its script task, instance, operation and how many times the script asked for that
/// pair: a script re-run after a restart that asks again gets the stored operation, not a second run of it.
/// </summary>
internal sealed partial class GraphRunner
{
    private readonly Dictionary<string, int> _requestCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ReplyTo, string RequestId)> _requesters = new(StringComparer.Ordinal);
    private readonly List<(string ReplyTo, string RequestId, TaskResponse Response)> _answers = [];

    /// <summary>Broker side of a request: handed to the loop like a reply, acked once the loop stored its task.</summary>
    private async Task OnRequestAsync(IncomingMessage message, WorkflowRequest request, CancellationToken cancellationToken)
    {
        if (message.ReplyTo is null || message.CorrelationId is null)
        {
            await message.NackAsync(requeue: false, cancellationToken);
            return;
        }

        var reply = new Reply(request.ScriptTaskId, 0, new TaskResponse { Ok = true })
        {
            Request = request,
            ReplyTo = message.ReplyTo,
            RequestId = message.CorrelationId,
        };
        if (!_replies.Writer.TryWrite(reply))
        {
            await message.AckAsync(cancellationToken);
            return;
        }

        await reply.Handled.Task.WaitAsync(cancellationToken);
        await message.AckAsync(cancellationToken);
    }

    private async Task HandleRequestAsync(Reply reply, CancellationToken cancellationToken)
    {
        var request = reply.Request!;
        var replyTo = reply.ReplyTo!;
        var requestId = reply.RequestId!;
        if (!_tasks.TryGetValue(request.ScriptTaskId, out var script) || script.Name != QueueNames.ExecuteWorkflowTask || script.IsTerminated)
        {
            Answer(replyTo, requestId, Error($"Workflow script task {request.ScriptTaskId} is not running in execution {_identity.ExecutionId}"));
            return;
        }

        if (_cancelStatus is not null)
        {
            Answer(replyTo, requestId, Error($"Execution {_identity.ExecutionId} is being cancelled: {request.Operation} on {request.NodeInstanceId} was not run"));
            return;
        }

        var pair = $"{request.ScriptTaskId}|{request.NodeInstanceId}|{request.Operation}";
        var count = _requestCounts[pair] = _requestCounts.GetValueOrDefault(pair) + 1;
        var key = $"{pair}|{count}";
        var known = _tasks.Values.FirstOrDefault(t => RequestKey(t) == key && t.State != OperationStates.Failed);
        if (known is not null)
        {
            if (known.State == OperationStates.Succeeded)
            {
                // Ran before a restart: its result was not kept, its success was.
                Answer(replyTo, requestId, new TaskResponse { Ok = true });
            }
            else
            {
                _requesters[known.Id] = (replyTo, requestId);
            }

            return;
        }

        var instance = await _store.GetNodeInstanceAsync(_identity.TenantName, request.NodeInstanceId, cancellationToken);
        var node = instance is null || instance.DeploymentId != _identity.DeploymentId
            ? null
            : await _store.GetNodeAsync(_identity.TenantName, instance.DeploymentId, instance.NodeId, cancellationToken);
        if (instance is null || node is null)
        {
            Answer(replyTo, requestId, Error($"Node instance {request.NodeInstanceId} not found in deployment {_identity.DeploymentId}"));
            return;
        }

        var builder = _run.NewBuilder();
        GraphTask? task;
        try
        {
            task = _factory.Create(
                builder, null, instance, node, request.Operation, node.Operations, extraKwargs: request.Kwargs, allowKwargsOverride: request.AllowKwargsOverride);
        }
        catch (InvalidOperationException ex)
        {
            Answer(replyTo, requestId, Error(ex.Message));
            return;
        }

        if (task is null)
        {
            // Cloudify's NOP: an operation the node does not implement ends at once with no result.
            Answer(replyTo, requestId, new TaskResponse { Ok = true });
            return;
        }

        var handler = TaskHandlers.Of(TaskHandlers.ScriptRequest, instance.Id, ("script_task", request.ScriptTaskId), ("request_key", key));
        task.OnSuccess = handler;
        task.OnFailure = (JsonObject)handler.DeepClone();
        await _store.InsertOperationsAsync(
            _graphId, [task.ToRecord(_graphId, _identity.TenantName, _options.ManagerName, _time.GetUtcNow())], cancellationToken);
        // Checkpoint: the operation is stored before it is sent; after a restart the resumed run sends it, and the
        // script (run again) that asks for it again is given this task by its request key.
        _tasks[task.Id] = task;
        Attach(task);
        _candidates.Add(task);
        _requesters[task.Id] = (replyTo, requestId);
    }

    private static string? RequestKey(GraphTask task) =>
        TaskHandlers.Path(task.OnSuccess) == TaskHandlers.ScriptRequest ? GraphTask.Text(task.OnSuccess, "request_key") : null;

    /// <summary>A script's operation ended: its answer leaves after the next flush has stored the end.</summary>
    private void AnswerScriptRequest(GraphTask task, bool ok, JsonNode? result)
    {
        if (!_requesters.Remove(task.Id, out var requester))
        {
            return;
        }

        var error = task.Error;
        Answer(requester.ReplyTo, requester.RequestId, ok
            ? new TaskResponse { Ok = true, Result = result?.DeepClone() }
            : new TaskResponse
            {
                Ok = false,
                Error = new TaskError
                {
                    ExceptionType = GraphTask.Text(error, "exception_type") ?? TaskError.NonRecoverable,
                    Message = GraphTask.Text(error, "message") ?? $"{task.OperationName} on {task.NodeInstanceId} failed",
                    KnownExceptionType = GraphTask.Text(error, "known_exception_type") ?? TaskError.NonRecoverable,
                },
            });
    }

    private void Answer(string replyTo, string requestId, TaskResponse response) => _answers.Add((replyTo, requestId, response));

    private static TaskResponse Error(string message) => new()
    {
        Ok = false,
        Error = new TaskError { ExceptionType = TaskError.NonRecoverable, Message = message, KnownExceptionType = TaskError.NonRecoverable },
    };

    /// <summary>Sends the answers whose operations' ends are stored; a script that is gone no longer needs its answer.</summary>
    private async Task PublishAnswersAsync(CancellationToken cancellationToken)
    {
        foreach (var (replyTo, requestId, response) in _answers)
        {
            try
            {
                await _broker.PublishAsync(
                    replyTo,
                    new OutgoingMessage { Body = JsonSerializer.SerializeToUtf8Bytes(response), CorrelationId = requestId, MessageId = requestId },
                    cancellationToken);
            }
            catch (QueueNotFoundException)
            {
                // The script ended (or its agent restarted): nobody waits for this answer.
            }
        }

        _answers.Clear();
    }

    /// <summary>A cancel of any kind stops the running workflow scripts (a kill-cancel stops every process anyway).</summary>
    private async Task StopScriptsAsync(CancellationToken cancellationToken)
    {
        foreach (var script in _tasks.Values.Where(t => t.Name == QueueNames.ExecuteWorkflowTask && _inFlight.Contains(t.Id)))
        {
            var queue = QueueNames.Service(QueueNames.Management);
            await _broker.DeclareQueueAsync(queue, QueueOptions.Default, cancellationToken);
            await _broker.PublishAsync(
                queue,
                new OutgoingMessage
                {
                    Body = new KillExecutionMessage { ExecutionId = _identity.ExecutionId, TaskId = script.Id }.ToBody(),
                    MessageId = script.Id + ".stop",
                },
                cancellationToken);
        }
    }
}
