using Stratus.Core.Model;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Stratus.Contracts.Tasks;
using Stratus.Dsl;
using Stratus.Messaging;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

internal sealed partial class GraphRunner
{
    private async Task DispatchAsync(GraphTask task, CancellationToken cancellationToken)
    {
        var stored = task.CloudifyContext ?? [];
        var nodeInstanceId = GraphTask.Text(stored, "node_id");
        var executor = GraphTask.Text(stored, "executor") ?? "auto";
        var hostId = GraphTask.Text(stored, "host_id");
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["OperationId"] = task.Id,
            ["OperationName"] = task.OperationName,
            ["NodeInstanceId"] = nodeInstanceId,
        });

        var target = await ResolveTargetAsync(executor, hostId, cancellationToken);
        if (target is null)
        {
            await FailWithoutSendingAsync(
                task,
                $"{task.ShortDescription}: missing cloudify_agent.queue runtime information. This most likely means that the Compute node was never started successfully",
                cancellationToken);
            return;
        }

        JsonObject inputs;
        try
        {
            inputs = await EvaluateInputsAsync(task, stored, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailWithoutSendingAsync(task, ex.Message, cancellationToken);
            return;
        }

        var operation = stored["operation"] is JsonObject op ? (JsonObject)op.DeepClone() : new JsonObject { ["name"] = task.Info };
        operation["retry_number"] = task.CurrentRetries;
        operation["max_retries"] = task.TotalRetries;
        var queue = QueueNames.Operations(target);
        _targets.Add(target);
        TrackAgent(task, target);
        var context = new TaskContext
        {
            TaskId = task.Id,
            TaskName = task.Name,
            ExecutionId = _identity.ExecutionId,
            WorkflowId = _identity.WorkflowId,
            Tenant = new JsonObject { ["name"] = _identity.TenantName },
            Timeout = GraphTask.Number(stored, "timeout"),
            TimeoutRecoverable = stored["timeout_recoverable"] is JsonValue tr && tr.TryGetValue(out bool recoverable) ? recoverable : null,
            NodeId = nodeInstanceId,
            NodeName = GraphTask.Text(stored, "node_name"),
            Plugin = stored["plugin"]?.DeepClone() as JsonObject,
            Operation = operation,
            Related = stored["related"]?.DeepClone() as JsonObject,
            HasIntrinsicFunctions = stored["has_intrinsic_functions"] is JsonValue f && f.TryGetValue(out bool hasFunctions) && hasFunctions,
            HostId = hostId,
            Executor = executor,
            BlueprintId = _identity.BlueprintId,
            DeploymentId = _identity.DeploymentId,
            DeploymentDisplayName = _identity.DeploymentId,
            RestHost = [.. _options.RestHost],
            RestPort = _options.RestPort,
            RestProtocol = _options.RestProtocol,
            ExecutionToken = _token,
            RestToken = _token,
            ExecutionCreatorUsername = _identity.CreatorUsername,
            WorkflowParameters = (JsonObject)_workflowParameters.DeepClone(),
            TaskQueue = queue,
            TaskTarget = target,
        };
        inputs[TaskContext.KwargName] = JsonSerializer.SerializeToNode(context);
        var message = new TaskMessage { Id = task.Id, CloudifyTask = new CloudifyTask { Kwargs = inputs } };

        if (_resent.Remove(task.Id))
        {
            await AnnounceResentAsync(task, cancellationToken);
        }

        SetState(task, OperationStates.Sending);
        if (task.SendTaskEvents)
        {
            await _events.AddAsync(
                Keyed(_eventFactory.Create("sending_task", ErrorText.TaskEvent(task, OperationStates.Sending, null), nodeInstanceId, GraphTask.Text(stored, "node_name"), task.OperationName), task),
                cancellationToken);
        }
        var correlationId = Reply.CorrelationId(task.Id, task.CurrentRetries);
        if (_declaredTargets.Add(queue))
        {
            // Cloudify binds a target on first publish; declaring is idempotent and lets the send precede the agent.
            // The agent replies through its own exchange, so the reply queue is bound to it.
            await _broker.DeclareQueueAsync(queue, QueueOptions.Default, cancellationToken);
            await _broker.BindReplyQueueAsync(ReplyQueue, target, cancellationToken);
        }

        var outgoing = new OutgoingMessage
        {
            Body = JsonSerializer.SerializeToUtf8Bytes(message),
            CorrelationId = correlationId,
            MessageId = correlationId,
            ReplyTo = ReplyQueue,
        };
        _inFlight.Add(task.Id);
        if (target != QueueNames.Management && _run.Pinger is { } pinger && !pinger.IsKnownAlive(target))
        {
            AwaitPing(pinger, target, new PendingSend(task, task.CurrentRetries, queue, outgoing));
            return;
        }

        await SendAsync(task, queue, outgoing, cancellationToken);
    }

    private async Task SendAsync(GraphTask task, string queue, OutgoingMessage outgoing, CancellationToken cancellationToken)
    {
        await _broker.PublishAsync(queue, outgoing, cancellationToken);
        // Checkpoint: the operation is on its queue but may still be stored as pending/sending; a crash here resends
        // it on resume under the same message id, which agents treat as a duplicate.
        SetState(task, OperationStates.Sent);
        Log.OperationSent(_logger, task.Id, task.OperationName, task.NodeInstanceId, queue);
    }

    /// <summary>
    /// The operation's target: <c>cloudify.management</c> for the central deployment agent and for <c>auto</c> when
    /// the instance's host has no agent; the host agent's queue otherwise; null when a required agent is missing.
    /// </summary>
    private async Task<string?> ResolveTargetAsync(string executor, string? hostId, CancellationToken cancellationToken)
    {
        if (executor == "central_deployment_agent" || hostId is null)
        {
            return executor == "host_agent" ? null : QueueNames.Management;
        }

        var host = await _store.GetNodeInstanceAsync(_identity.TenantName, hostId, cancellationToken);
        var agentQueue = host?.RuntimeProperties["cloudify_agent"] is JsonObject agent ? GraphTask.Text(agent, "queue") : null;
        if (agentQueue is not null)
        {
            return agentQueue;
        }

        return executor == "host_agent" ? null : QueueNames.Management;
    }

    private async Task<JsonObject> EvaluateInputsAsync(GraphTask task, JsonObject stored, CancellationToken cancellationToken)
    {
        var inputs = task.OperationInputs;
        var flagged = stored["has_intrinsic_functions"] is JsonValue f && f.TryGetValue(out bool hasFunctions) && hasFunctions;
        if (_identity.DeploymentId is null || !(flagged || ContainsFunctions(inputs)))
        {
            return inputs;
        }

        var self = GraphTask.Text(stored, "node_id");
        var related = stored["related"] is JsonObject r ? GraphTask.Text(r, "node_id") : null;
        var side = stored["operation"] is JsonObject op ? GraphTask.Text(op, "relationship") : null;
        var secrets = _run.Secrets?.NewCache();
        var context = await StoreFunctionContext.LoadAsync(
            _store,
            _identity.TenantName,
            _identity.DeploymentId,
            side is null ? self : null,
            side switch { "source" => self, "target" => related, _ => null },
            side switch { "source" => related, "target" => self, _ => null },
            secrets,
            cancellationToken);
        var capabilities = Functions.CapabilityLookup.ForTenant(_store, _identity.TenantName, secrets);
        return await IntrinsicFunctions.EvaluateAsync(inputs, context, capabilities, cancellationToken) as JsonObject ?? inputs;
    }

    private static bool ContainsFunctions(JsonObject inputs) => IntrinsicFunctions.ContainsFunctions(inputs);

    private async Task FailWithoutSendingAsync(GraphTask task, string message, CancellationToken cancellationToken)
    {
        task.Error = ErrorText.NonRecoverable(message);
        SetState(task, OperationStates.Failed);
        var stored = task.CloudifyContext;
        if (task.SendTaskEvents)
        {
            await _events.AddAsync(
                _eventFactory.Create(
                    "task_failed",
                    ErrorText.TaskEvent(task, OperationStates.Failed, message),
                    task.NodeInstanceId,
                    GraphTask.Text(stored, "node_name"),
                    task.OperationName,
                    (task.Error["known_exception_type_kwargs"] as JsonObject)?["causes"]?.DeepClone() as JsonArray),
                cancellationToken);
        }
        await SettleFailureAsync(task, cancellationToken);
    }
}
