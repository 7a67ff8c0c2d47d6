using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Workflows.Lifecycle;

namespace Stratus.Workflows.Engine;

/// <summary>Builds an execution's events (<c>cloudify_event</c>) with the execution's context filled in.</summary>
internal sealed class EventFactory(WorkflowIdentity identity, TimeProvider timeProvider, string managerName)
{
    /// <summary>Node name by instance id, so every event about an instance also names its node.</summary>
    public IReadOnlyDictionary<string, string> NodeNames { get; set; } = new Dictionary<string, string>();

    public StoredEvent Create(
        string eventType,
        string message,
        string? nodeInstanceId = null,
        string? nodeName = null,
        string? operation = null,
        JsonArray? errorCauses = null)
    {
        var now = timeProvider.GetUtcNow();
        return new StoredEvent
        {
            Type = "cloudify_event",
            Timestamp = now,
            ReportedTimestamp = now,
            ExecutionId = identity.ExecutionId,
            TenantName = identity.TenantName,
            CreatedBy = identity.CreatorUsername,
            DeploymentId = identity.DeploymentId,
            BlueprintId = identity.BlueprintId,
            WorkflowId = identity.WorkflowId,
            EventType = eventType,
            Message = message,
            NodeInstanceId = nodeInstanceId,
            NodeName = nodeName ?? (nodeInstanceId is null ? null : NodeNames.GetValueOrDefault(nodeInstanceId)),
            Operation = operation,
            ErrorCauses = errorCauses,
            ManagerName = managerName,
        };
    }

    /// <summary>A workflow log record (<c>cloudify_log</c>), as <c>ctx.logger</c> writes from a workflow function.</summary>
    public StoredEvent Log(string level, string message) => Create("", message) with
    {
        Type = "cloudify_log",
        EventType = null,
        Level = level,
        Logger = "ctx." + identity.ExecutionId,
    };
}
