using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Executions.Schedules;

/// <summary>An execution schedule in Cloudify 7.1's shape.</summary>
internal static class ExecutionScheduleRenderer
{
    private static readonly string[] Filterable =
        ["id", "deployment_id", "workflow_id", "created_at", "next_occurrence", "since", "until", "slip", "enabled", "stop_on_fail", "created_by"];

    public static readonly ResourceFields Fields = new(
        Sortable: Filterable,
        Filterable: Filterable,
        Includable:
        [
            "all_next_occurrences", "created_at", "created_by", "deployment_id", "enabled", "execution_arguments", "id",
            "latest_execution_status", "next_occurrence", "parameters", "private_resource", "resource_availability", "rule",
            "since", "slip", "stop_on_fail", "tenant_name", "until", "visibility", "workflow_id",
        ]);

    public static JsonObject Render(ExecutionSchedule s, string? latestExecutionStatus, DateTimeOffset now)
    {
        var upcoming = new JsonArray();
        foreach (var time in Occurrences.Upcoming(s.Rule, s.Since, s.Until, now))
        {
            upcoming.Add(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        return new JsonObject
        {
            ["all_next_occurrences"] = upcoming,
            ["created_at"] = Wire.Timestamp(s.CreatedAt),
            ["created_by"] = s.CreatedBy,
            ["deployment_id"] = s.DeploymentId,
            ["enabled"] = s.Enabled,
            ["execution_arguments"] = Wire.Clone(s.ExecutionArguments),
            ["id"] = s.Id,
            ["latest_execution_status"] = latestExecutionStatus,
            ["next_occurrence"] = Wire.Timestamp(s.NextOccurrence),
            ["parameters"] = Wire.Clone(s.Parameters),
            ["private_resource"] = s.Visibility == Visibility.Private,
            ["resource_availability"] = s.Visibility,
            ["rule"] = Wire.Clone(s.Rule),
            ["since"] = Wire.Timestamp(s.Since),
            ["slip"] = s.Slip,
            ["stop_on_fail"] = s.StopOnFail,
            ["tenant_name"] = s.TenantName,
            ["until"] = Wire.Timestamp(s.Until),
            ["visibility"] = s.Visibility,
            ["workflow_id"] = s.WorkflowId,
        };
    }
}
