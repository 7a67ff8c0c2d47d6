using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Core.Model;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>Turns a plan operation record into a remote task, or null when the operation is a no-op.</summary>
internal sealed class OperationTaskFactory(WorkflowIdentity identity, int defaultTaskRetries, double defaultRetryIntervalSeconds)
{
    /// <summary>True when <paramref name="operations"/> maps <paramref name="name"/> to a real implementation.</summary>
    public static bool HasOperation(JsonObject operations, string name) =>
        operations[name] is JsonObject op && !string.IsNullOrEmpty(GraphTask.Text(op, "operation"));

    public GraphTask? Create(
        GraphBuilder builder,
        GraphTask? parent,
        NodeInstance instance,
        Node node,
        string operationName,
        JsonObject operations,
        NodeInstance? related = null,
        bool relatedIsTarget = false,
        JsonObject? extraKwargs = null,
        bool allowKwargsOverride = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(operations);
        if (operations[operationName] is not JsonObject op || GraphTask.Text(op, "operation") is not { Length: > 0 } mapping)
        {
            return null;
        }

        var pluginName = GraphTask.Text(op, "plugin") ?? "";
        var declared = node.Plugins.OfType<JsonObject>().FirstOrDefault(p => GraphTask.Text(p, "name") == pluginName);
        var maxRetries = GraphTask.Number(op, "max_retries");
        var totalRetries = maxRetries is { } m ? (int)m : defaultTaskRetries;
        var retryInterval = GraphTask.Number(op, "retry_interval") ?? defaultRetryIntervalSeconds;
        var operation = new JsonObject
        {
            ["name"] = operationName,
            ["retry_number"] = 0,
            ["max_retries"] = totalRetries,
        };
        var context = new JsonObject
        {
            ["__cloudify_context"] = "0.3",
            ["type"] = "operation",
            ["task_name"] = mapping,
            ["execution_id"] = identity.ExecutionId,
            ["workflow_id"] = identity.WorkflowId,
            ["tenant"] = new JsonObject { ["name"] = identity.TenantName },
            ["deployment_id"] = identity.DeploymentId,
            ["blueprint_id"] = identity.BlueprintId,
            ["node_id"] = instance.Id,
            ["node_name"] = instance.NodeId,
            ["plugin"] = new JsonObject
            {
                ["name"] = pluginName,
                ["package_name"] = declared is null ? null : GraphTask.Text(declared, "package_name"),
                ["package_version"] = declared is null ? null : GraphTask.Text(declared, "package_version"),
                ["visibility"] = declared is null ? null : GraphTask.Text(declared, "visibility"),
                ["tenant_name"] = declared is null ? null : GraphTask.Text(declared, "tenant_name"),
                ["source"] = declared is null ? null : GraphTask.Text(declared, "source"),
                ["properties"] = new JsonObject(),
            },
            ["operation"] = operation,
            ["has_intrinsic_functions"] = op["has_intrinsic_functions"] is JsonValue f && f.TryGetValue(out bool hasFunctions) && hasFunctions,
            ["host_id"] = instance.HostId,
            ["executor"] = GraphTask.Text(op, "executor") ?? "auto",
            ["timeout"] = op["timeout"]?.DeepClone(),
            ["timeout_recoverable"] = op["timeout_recoverable"]?.DeepClone(),
        };
        if (related is not null)
        {
            context["related"] = new JsonObject
            {
                ["node_id"] = related.Id,
                ["node_name"] = related.NodeId,
                ["is_target"] = relatedIsTarget,
            };
            operation["relationship"] = relatedIsTarget ? "source" : "target";
        }

        var kwargs = op["inputs"] is JsonObject inputs ? (JsonObject)inputs.DeepClone() : [];
        foreach (var (key, value) in extraKwargs ?? [])
        {
            if (!allowKwargsOverride && kwargs.ContainsKey(key))
            {
                throw new InvalidOperationException(
                    $"Duplicate definition of {key} in operation properties and in kwargs. To allow redefinition, pass \"allow_kwargs_override\" to \"execute_operation\"");
            }

            kwargs[key] = value?.DeepClone();
        }

        kwargs[TaskContext.KwargName] = context;
        return builder.Add(new GraphTask
        {
            Id = builder.NewId(),
            Type = TaskTypes.Remote,
            Name = mapping,
            Info = operationName,
            ContainingSubgraph = parent?.Id,
            TotalRetries = totalRetries,
            RetryInterval = retryInterval,
            SendTaskEvents = true,
            TaskKwargs = new JsonObject { ["kwargs"] = kwargs },
        });
    }
}
