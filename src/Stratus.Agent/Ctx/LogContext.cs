using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Ctx;

/// <summary>The <c>context</c> dict Cloudify attaches to an operation's logs and events.</summary>
internal static class LogContext
{
    public static JsonObject From(TaskContext context)
    {
        var result = new JsonObject
        {
            ["blueprint_id"] = context.BlueprintId,
            ["deployment_id"] = context.DeploymentId,
            ["execution_id"] = context.ExecutionId,
            ["workflow_id"] = context.WorkflowId,
            ["task_id"] = context.TaskId,
            ["task_name"] = context.TaskName,
            ["task_queue"] = context.TaskQueue,
            ["task_target"] = context.TaskTarget,
            ["operation"] = context.Operation["name"]?.DeepClone(),
            ["plugin"] = context.Plugin?["name"]?.DeepClone(),
            ["tenant"] = new JsonObject { ["name"] = context.Tenant["name"]?.DeepClone() },
        };
        if (context.Related is { } related)
        {
            var selfIsSource = JsonRead.Bool(related["is_target"]) == true;
            var (sourceId, sourceName, targetId, targetName) = selfIsSource
                ? (context.NodeId, context.NodeName, JsonRead.String(related["node_id"]), JsonRead.String(related["node_name"]))
                : (JsonRead.String(related["node_id"]), JsonRead.String(related["node_name"]), context.NodeId, context.NodeName);
            result["source_id"] = sourceId;
            result["source_name"] = sourceName;
            result["target_id"] = targetId;
            result["target_name"] = targetName;
        }
        else if (context.NodeId is not null)
        {
            result["node_id"] = context.NodeId;
            result["node_name"] = context.NodeName;
        }

        return result;
    }
}
