using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>An event (<c>cloudify_event</c>) or a log line (<c>cloudify_log</c>) of an execution.</summary>
public sealed record StoredEvent
{
    /// <summary>Assigned by the store on insert; increasing in insertion order.</summary>
    public long StorageId { get; init; }

    /// <summary><c>cloudify_event</c> or <c>cloudify_log</c>.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required DateTimeOffset ReportedTimestamp { get; init; }

    public required string ExecutionId { get; init; }

    public required string TenantName { get; init; }

    public string? CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    /// <summary>Joined from the execution when listing.</summary>
    public string? DeploymentId { get; init; }

    public string? BlueprintId { get; init; }

    public string? WorkflowId { get; init; }

    public string? EventType { get; init; }

    public string? Logger { get; init; }

    public string? Level { get; init; }

    public required string Message { get; init; }

    public string? MessageCode { get; init; }

    public string? Operation { get; init; }

    /// <summary>Node-instance id (Cloudify's <c>node_id</c> column on events).</summary>
    public string? NodeInstanceId { get; init; }

    public string? NodeName { get; init; }

    public string? SourceId { get; init; }

    public string? TargetId { get; init; }

    public JsonArray? ErrorCauses { get; init; }

    public string? ManagerName { get; init; }

    public string? AgentName { get; init; }

    /// <summary>
    /// Set by a producer that may send the same event again (a retried batch, a resumed run): the store keeps one
    /// event per execution and key. Never listed.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
