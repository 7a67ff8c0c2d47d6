using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Executions;

/// <summary>An execution in Cloudify 7.1's shape (wire 21/23); the token never leaves the server.</summary>
internal static class ExecutionRenderer
{
    private static readonly string[] Sortable =
        ["id", "deployment_id", "blueprint_id", "workflow_id", "status", "created_at", "started_at", "ended_at", "is_system_workflow"];

    public static readonly ResourceFields Fields = new(
        Sortable: Sortable,
        Filterable: Sortable,
        Includable:
        [
            "allow_custom_parameters", "blueprint_id", "created_at", "created_by", "deployment_display_name",
            "deployment_id", "ended_at", "error", "finished_operations", "id", "is_dry_run", "is_system_workflow",
            "parameters", "private_resource", "resource_availability", "resume", "scheduled_for", "started_at",
            "status", "status_display", "tenant_name", "total_operations", "visibility", "workflow_id",
        ]);

    public static string StatusDisplay(string status) => status == ExecutionStatus.Terminated ? "completed" : status;

    public static JsonObject Render(Execution e, string? deploymentDisplayName) => new()
    {
        ["allow_custom_parameters"] = e.AllowCustomParameters,
        ["blueprint_id"] = e.BlueprintId,
        ["created_at"] = Wire.Timestamp(e.CreatedAt),
        ["created_by"] = e.CreatedBy,
        ["deployment_display_name"] = deploymentDisplayName,
        ["deployment_id"] = e.DeploymentId,
        ["ended_at"] = Wire.Timestamp(e.EndedAt),
        ["error"] = e.Status == ExecutionStatus.Pending && e.Error.Length == 0 ? null : e.Error,
        ["finished_operations"] = e.FinishedOperations,
        ["id"] = e.Id,
        ["is_dry_run"] = e.IsDryRun,
        ["is_system_workflow"] = e.IsSystemWorkflow,
        ["parameters"] = Wire.Clone(e.Parameters),
        ["parameters_p"] = null,
        ["private_resource"] = e.Visibility == Visibility.Private,
        ["resource_availability"] = e.Visibility,
        ["resume"] = e.Resume,
        ["scheduled_for"] = null,
        ["started_at"] = Wire.Timestamp(e.StartedAt),
        ["status"] = e.Status,
        ["status_display"] = StatusDisplay(e.Status),
        ["tenant_name"] = e.TenantName,
        ["total_operations"] = e.TotalOperations,
        ["visibility"] = e.Visibility,
        ["workflow_id"] = e.WorkflowId,
    };
}
