using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Server.Events;

/// <summary>Cloudify's event and log dicts (reference 5.4) as stored rows; one mapping for REST and the broker.</summary>
internal static class EventItems
{
    public const string EventType = "cloudify_event";

    public const string LogType = "cloudify_log";

    /// <summary>
    /// The row for one item of <paramref name="type"/>; tenant, creator, visibility and deployment come from the stored
    /// execution, never from the item. <paramref name="reportedTimestamp"/> is what the producer's clock said (REST
    /// callers with the permission may set it; null: now).
    /// </summary>
    public static StoredEvent ToStored(
        JsonObject item,
        string type,
        Execution execution,
        DateTimeOffset now,
        string? agentName,
        string? managerName,
        string? idempotencyKey,
        bool acceptReportedTimestamp = true)
    {
        var context = item["context"] as JsonObject ?? [];
        var message = item["message"] is JsonObject m ? Text(m, "text") : Text(item, "message");
        return new StoredEvent
        {
            Type = type,
            Timestamp = ParseTime(Text(item, "timestamp")) ?? now,
            ReportedTimestamp = (acceptReportedTimestamp ? ParseTime(Text(item, "reported_timestamp")) : null) ?? now,
            ExecutionId = execution.Id,
            TenantName = execution.TenantName,
            CreatedBy = execution.CreatedBy,
            Visibility = execution.Visibility,
            DeploymentId = execution.DeploymentId,
            BlueprintId = execution.BlueprintId,
            WorkflowId = execution.WorkflowId,
            EventType = type == EventType ? Text(item, "event_type") : null,
            Logger = type == LogType ? Text(item, "logger") : null,
            Level = type == LogType ? Text(item, "level") : null,
            Message = (message ?? "").Replace("\0", "", StringComparison.Ordinal),
            MessageCode = Text(item, "message_code"),
            Operation = Text(item, "operation") ?? Text(context, "operation"),
            NodeInstanceId = Text(context, "node_id"),
            NodeName = Text(context, "node_name"),
            SourceId = Text(context, "source_id"),
            TargetId = Text(context, "target_id"),
            ErrorCauses = context["task_error_causes"] as JsonArray is { } causes ? (JsonArray)causes.DeepClone() : null,
            AgentName = agentName,
            ManagerName = managerName,
            IdempotencyKey = idempotencyKey,
        };
    }

    /// <summary>A producer's key for an event it may send again (Stratus's agents set one per event; Cloudify's send none).</summary>
    public static string? IdempotencyKey(JsonObject item)
    {
        var key = Text(item, "idempotency_key");
        return key is { Length: > MaxKeyLength } ? throw StratusException.BadParameters($"idempotency_key must be at most {MaxKeyLength} characters") : key;
    }

    public const int MaxKeyLength = 200;

    public static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
