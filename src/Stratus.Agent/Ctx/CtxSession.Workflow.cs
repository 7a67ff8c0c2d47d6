using System.Text.Json.Nodes;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Ctx;

/// <summary>
/// The ctx of a workflow script (a blueprint workflow mapped to <c>script_runner.tasks.execute_workflow</c>): the
/// execution's identity and parameters, the deployment's nodes and instances, logs and events, runtime property and
/// state updates, and operations run on instances through the engine (docs/workflow-ctx.md).
/// </summary>
internal sealed partial class CtxSession
{
    private const int MaxConflictRetries = 10;

    private CtxObject BuildWorkflowRoot(WorkflowOperations operations)
    {
        var c = Context;
        var parameters = ScriptParameters();
        return new CtxObject("CloudifyWorkflowContext")
            .Add("type", JsonValue.Create("workflow"))
            .Add("execution_id", JsonValue.Create(c.ExecutionId))
            .Add("workflow_id", JsonValue.Create(c.WorkflowId))
            .Add("task_id", JsonValue.Create(c.TaskId))
            .Add("tenant_name", c.Tenant["name"]?.DeepClone())
            .Add("tenant", c.Tenant.DeepClone())
            .Add("blueprint", new CtxObject("BlueprintContext").Add("id", JsonValue.Create(c.BlueprintId)))
            .Add("deployment", new CtxObject("DeploymentContext")
                .Add("id", JsonValue.Create(c.DeploymentId))
                .Add("display_name", JsonValue.Create(c.DeploymentDisplayName ?? c.DeploymentId))
                .Add("tenant_name", c.Tenant["name"]?.DeepClone()))
            .Add("parameters", _ => ValueTask.FromResult<object?>(new CtxMapping((JsonObject)parameters.DeepClone(), onChanged: null, readOnly: true)))
            .Add("workflow_parameters", _ => ValueTask.FromResult<object?>(new CtxMapping((JsonObject)parameters.DeepClone(), onChanged: null, readOnly: true)))
            .Add("logger", Logger())
            .Add("send_event", (CtxFunction)SendWorkflowEvent)
            .Add("nodes", async ct => (object?)await NodesAsync(ct))
            .Add("node_instances", async ct => (object?)await _api.ListNodeInstancesAsync(DeploymentId(), ct))
            .Add("get_node", (CtxFunction)GetNode)
            .Add("get_node_instance", (CtxFunction)GetNodeInstance)
            .Add("execute_operation", (args, kwargs, ct) => ExecuteOperationAsync(operations, args, kwargs, ct))
            .Add("update_runtime_properties", (CtxFunction)UpdateRuntimeProperties)
            .Add("set_node_instance_state", (CtxFunction)SetNodeInstanceState)
            .Add("returns", (CtxFunction)Returns)
            .Add("abort_operation", (CtxFunction)AbortOperation)
            .Add("download_resource", (CtxFunction)DownloadResource)
            .Add("get_resource", (CtxFunction)GetResource);
    }

    /// <summary>The workflow's parameters: the task's kwargs without what the script runner itself consumes.</summary>
    private JsonObject ScriptParameters() => Scripts.ScriptEnvironment.WorkflowParameters(Kwargs);

    private string DeploymentId() =>
        Context.DeploymentId ?? throw new CtxException("NonRecoverableError", "This workflow runs without a deployment: it has no nodes");

    private async Task<JsonArray> NodesAsync(CancellationToken cancellationToken)
    {
        var deploymentId = DeploymentId();
        var nodes = await _api.ListNodesAsync(deploymentId, cancellationToken);
        var instances = await _api.ListNodeInstancesAsync(deploymentId, cancellationToken);
        var result = new JsonArray();
        foreach (var node in nodes.OfType<JsonObject>())
        {
            result.Add(NodeView(node, instances));
        }

        return result;
    }

    private static JsonObject NodeView(JsonObject node, JsonArray instances)
    {
        var id = JsonRead.String(node["id"]);
        return new JsonObject
        {
            ["id"] = id,
            ["type"] = node["type"]?.DeepClone(),
            ["type_hierarchy"] = node["type_hierarchy"]?.DeepClone(),
            ["properties"] = node["properties"]?.DeepClone(),
            ["number_of_instances"] = node["number_of_instances"]?.DeepClone(),
            ["host_id"] = node["host_id"]?.DeepClone(),
            ["relationships"] = node["relationships"]?.DeepClone(),
            ["operations"] = node["operations"] is JsonObject ops
                ? new JsonArray([.. ops.Where(o => !string.IsNullOrEmpty(JsonRead.String(o.Value?["operation"]))).Select(o => (JsonNode?)JsonValue.Create(o.Key))])
                : new JsonArray(),
            ["instances"] = new JsonArray([.. instances.OfType<JsonObject>().Where(i => JsonRead.String(i["node_id"]) == id).Select(i => (JsonNode?)i.DeepClone())]),
        };
    }

    private async ValueTask<object?> GetNode(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var nodeId = Arg(args, kwargs, 0, "node_id") ?? throw new CtxException("TypeError", "get_node() missing 'node_id'");
        var nodes = await NodesAsync(cancellationToken);
        return nodes.OfType<JsonObject>().FirstOrDefault(n => JsonRead.String(n["id"]) == nodeId)
            ?? throw new CtxException("NonRecoverableError", $"Node {nodeId} not found in deployment {Context.DeploymentId}");
    }

    private async ValueTask<object?> GetNodeInstance(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var instanceId = Arg(args, kwargs, 0, "node_instance_id") ?? throw new CtxException("TypeError", "get_node_instance() missing 'node_instance_id'");
        return await InstanceOfDeploymentAsync(instanceId, cancellationToken);
    }

    private async Task<JsonObject> InstanceOfDeploymentAsync(string instanceId, CancellationToken cancellationToken)
    {
        JsonObject instance;
        try
        {
            instance = await _api.GetNodeInstanceAsync(instanceId, cancellationToken);
        }
        catch (ManagerApiException ex) when (ex.IsNotFound)
        {
            throw new CtxException("NonRecoverableError", $"Node instance {instanceId} not found in deployment {Context.DeploymentId}");
        }

        return JsonRead.String(instance["deployment_id"]) == DeploymentId()
            ? instance
            : throw new CtxException("NonRecoverableError", $"Node instance {instanceId} not found in deployment {Context.DeploymentId}");
    }

    private static async ValueTask<object?> ExecuteOperationAsync(
        WorkflowOperations operations, IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var instanceId = Arg(args, kwargs, 0, "node_instance_id") ?? throw new CtxException("TypeError", "execute_operation() missing 'node_instance_id'");
        var operation = Arg(args, kwargs, 1, "operation") ?? throw new CtxException("TypeError", "execute_operation() missing 'operation'");
        var inputs = (args.Count > 2 ? args[2] : kwargs?["kwargs"] ?? kwargs?["operation_kwargs"]) switch
        {
            null => null,
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new CtxException("TypeError", "execute_operation(): kwargs must be a dict"),
        };
        var allowOverride = JsonRead.Bool(args.Count > 3 ? args[3] : kwargs?["allow_kwargs_override"]) ?? false;
        var response = await operations.ExecuteAsync(instanceId, operation, inputs, allowOverride, cancellationToken);
        if (response.Ok)
        {
            return response.Result?.DeepClone();
        }

        var error = response.Error;
        throw new CtxException(error?.KnownExceptionType ?? error?.ExceptionType ?? "NonRecoverableError", error?.Message ?? $"{operation} on {instanceId} failed");
    }

    private async ValueTask<object?> UpdateRuntimeProperties(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var instanceId = Arg(args, kwargs, 0, "node_instance_id") ?? throw new CtxException("TypeError", "update_runtime_properties() missing 'node_instance_id'");
        // A trailing dict is the properties themselves (`ctx update-runtime-properties id '@{"k": 1}'`) unless named.
        var changes = (args.Count > 1 ? args[1] as JsonObject : kwargs?["runtime_properties"] as JsonObject ?? kwargs)
            ?? throw new CtxException("TypeError", "update_runtime_properties(): runtime_properties must be a dict");
        for (var attempt = 0; ; attempt++)
        {
            var instance = await InstanceOfDeploymentAsync(instanceId, cancellationToken);
            var runtime = instance["runtime_properties"] as JsonObject ?? [];
            foreach (var (key, value) in changes)
            {
                runtime[key] = value?.DeepClone();
            }

            try
            {
                var updated = await _api.UpdateNodeInstanceAsync(instanceId, runtime, JsonRead.Long(instance["version"]) ?? 0, cancellationToken);
                return updated["runtime_properties"]?.DeepClone();
            }
            catch (ManagerApiException ex) when (ex.IsConflict && attempt < MaxConflictRetries)
            {
                // Another writer got in between: re-read and apply the same changes on top of its write.
            }
        }
    }

    private async ValueTask<object?> SetNodeInstanceState(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var instanceId = Arg(args, kwargs, 0, "node_instance_id") ?? throw new CtxException("TypeError", "set_node_instance_state() missing 'node_instance_id'");
        var state = Arg(args, kwargs, 1, "state") ?? throw new CtxException("TypeError", "set_node_instance_state() missing 'state'");
        for (var attempt = 0; ; attempt++)
        {
            var instance = await InstanceOfDeploymentAsync(instanceId, cancellationToken);
            try
            {
                var updated = await _api.SetNodeInstanceStateAsync(instanceId, state, JsonRead.Long(instance["version"]) ?? 0, cancellationToken);
                return updated["state"]?.DeepClone();
            }
            catch (ManagerApiException ex) when (ex.IsConflict && attempt < MaxConflictRetries)
            {
                // A concurrent runtime-property write bumped the version: read again.
            }
        }
    }

    private ValueTask<object?> SendWorkflowEvent(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var text = Arg(args, kwargs, 0, "event") ?? throw new CtxException("TypeError", "send_event() missing 'event'");
        _log.Event(Arg(args, kwargs, 1, "event_type") ?? "workflow_stage", text);
        return ValueTask.FromResult<object?>(null);
    }
}
