using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>One item of <c>GET /events</c>: an event (<c>cloudify_event</c>) or a log line (<c>cloudify_log</c>).</summary>
public sealed record CloudifyEvent
{
    public const string EventType = "cloudify_event";

    public const string LogType = "cloudify_log";

    /// <summary>The row id in the events (or logs) table; unique per <see cref="Type"/>, not across both.</summary>
    [JsonPropertyName("_storage_id")]
    public long? StorageId { get; init; }

    [JsonPropertyName("timestamp")]
    public DateTimeOffset? Timestamp { get; init; }

    [JsonPropertyName("reported_timestamp")]
    public DateTimeOffset? ReportedTimestamp { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("event_type")]
    public string? EventTypeName { get; init; }

    [JsonPropertyName("level")]
    public string? Level { get; init; }

    [JsonPropertyName("logger")]
    public string? Logger { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("blueprint_id")]
    public string? BlueprintId { get; init; }

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("execution_id")]
    public string? ExecutionId { get; init; }

    [JsonPropertyName("workflow_id")]
    public string? WorkflowId { get; init; }

    [JsonPropertyName("node_instance_id")]
    public string? NodeInstanceId { get; init; }

    [JsonPropertyName("node_name")]
    public string? NodeName { get; init; }

    [JsonPropertyName("operation")]
    public string? Operation { get; init; }

    [JsonPropertyName("source_id")]
    public string? SourceId { get; init; }

    [JsonPropertyName("target_id")]
    public string? TargetId { get; init; }

    [JsonPropertyName("error_causes")]
    public JsonNode? ErrorCauses { get; init; }

    [JsonIgnore]
    public bool IsLog => Type == LogType;
}
