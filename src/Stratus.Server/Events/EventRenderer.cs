using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Events;

/// <summary>Events and logs as Cloudify's v3 events list renders them (wire 31/32).</summary>
internal static class EventRenderer
{
    public static readonly ResourceFields Fields = new(
        Sortable: ["@timestamp", "timestamp", "reported_timestamp", "_storage_id"],
        Filterable: ["execution_id", "deployment_id", "blueprint_id", "workflow_id", "type", "event_type", "level", "node_id", "node_instance_id"],
        Includable:
        [
            "_storage_id", "agent_name", "blueprint_id", "deployment_display_name", "deployment_id", "error_causes",
            "event_type", "execution_group_id", "execution_id", "level", "logger", "manager_name", "message",
            "node_instance_id", "node_name", "operation", "reported_timestamp", "source_id", "target_id", "timestamp",
            "type", "workflow_id",
        ])
    {
        DefaultSize = 10000,
    };

    public static JsonObject Render(StoredEvent e, string? deploymentDisplayName)
    {
        var item = new JsonObject
        {
            ["_storage_id"] = e.StorageId,
            ["agent_name"] = e.AgentName,
            ["blueprint_id"] = e.BlueprintId,
            ["deployment_display_name"] = deploymentDisplayName,
            ["deployment_id"] = e.DeploymentId,
            ["error_causes"] = Wire.Clone(e.ErrorCauses),
        };
        if (e.Type == "cloudify_log")
        {
            item["level"] = e.Level;
            item["logger"] = e.Logger;
        }
        else
        {
            item["event_type"] = e.EventType;
        }

        item["execution_group_id"] = null;
        item["execution_id"] = e.ExecutionId;
        item["manager_name"] = e.ManagerName;
        item["message"] = e.Message;
        item["node_instance_id"] = e.NodeInstanceId;
        item["node_name"] = e.NodeName;
        item["operation"] = e.Operation;
        item["reported_timestamp"] = Wire.Timestamp(e.ReportedTimestamp);
        item["source_id"] = e.SourceId;
        item["target_id"] = e.TargetId;
        item["timestamp"] = Wire.Timestamp(e.Timestamp);
        item["type"] = e.Type;
        item["workflow_id"] = e.WorkflowId;
        return item;
    }
}
