using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Executions;
using Stratus.Server.Http;

namespace Stratus.Server.Deployments;

/// <summary>A deployment in Cloudify 7.1's shape (wire 15/16/24).</summary>
internal static class DeploymentRenderer
{
    private static readonly string[] Sortable =
        ["id", "blueprint_id", "display_name", "created_at", "updated_at", "installation_status", "deployment_status", "visibility", "created_by"];

    public static readonly ResourceFields Fields = new(
        Sortable: Sortable,
        Filterable: Sortable,
        Includable:
        [
            "blueprint_id", "capabilities", "create_execution", "created_at", "created_by", "deployment_groups",
            "deployment_status", "description", "display_name", "drifted_instances", "environment_type", "groups",
            "has_sub_deployments", "id", "inputs", "installation_status", "labels", "latest_execution",
            "latest_execution_finished_operations", "latest_execution_status", "latest_execution_total_operations",
            "latest_execution_workflow_id", "outputs", "permalink", "policy_triggers", "policy_types", "private_resource",
            "resource_availability", "resource_tags", "runtime_only_evaluation", "scaling_groups", "site_name",
            "sub_environments_count", "sub_environments_status", "sub_services_count", "sub_services_status",
            "tenant_name", "unavailable_instances", "updated_at", "visibility", "workdir_zip", "workflows",
        ])
    {
        Ignored = ["all_sub_deployments", "include_workdir"],
    };

    public static JsonObject Render(Deployment d, Execution? latest, IReadOnlyList<NodeInstance> instances, IReadOnlyList<string>? groups = null) => new()
    {
        ["blueprint_id"] = d.BlueprintId,
        ["capabilities"] = Wire.Clone(d.Capabilities),
        ["capabilities_p"] = null,
        ["create_execution"] = d.CreateExecutionId,
        ["created_at"] = Wire.Timestamp(d.CreatedAt),
        ["created_by"] = d.CreatedBy,
        ["deployment_groups"] = new JsonArray([.. (groups ?? []).Select(g => (JsonNode)g)]),
        ["deployment_status"] = d.DeploymentStatus,
        ["description"] = d.Description,
        ["display_name"] = d.DisplayName,
        ["drifted_instances"] = 0,
        ["environment_type"] = "",
        ["groups"] = Wire.Clone(d.Groups),
        ["groups_p"] = null,
        ["has_sub_deployments"] = false,
        ["id"] = d.Id,
        ["inputs"] = Wire.Clone(d.Inputs),
        ["inputs_p"] = null,
        ["installation_status"] = d.InstallationStatus,
        ["labels"] = Labels.LabelRenderer.Render(d.Labels),
        ["latest_execution"] = d.LatestExecutionId,
        ["latest_execution_finished_operations"] = latest?.FinishedOperations,
        ["latest_execution_status"] = latest is null ? null : ExecutionRenderer.StatusDisplay(latest.Status),
        ["latest_execution_total_operations"] = latest?.TotalOperations,
        ["latest_execution_workflow_id"] = latest?.WorkflowId,
        ["outputs"] = Wire.Clone(d.Outputs),
        ["outputs_p"] = null,
        ["permalink"] = null,
        ["policy_triggers"] = new JsonObject(),
        ["policy_triggers_p"] = null,
        ["policy_types"] = new JsonObject(),
        ["policy_types_p"] = null,
        ["private_resource"] = d.Visibility == Visibility.Private,
        ["resource_availability"] = d.Visibility,
        ["resource_tags"] = new JsonObject(),
        ["runtime_only_evaluation"] = d.RuntimeOnlyEvaluation,
        ["scaling_groups"] = Wire.Clone(d.ScalingGroups),
        ["scaling_groups_p"] = null,
        ["site_name"] = null,
        ["sub_environments_count"] = 0,
        ["sub_environments_status"] = null,
        ["sub_services_count"] = 0,
        ["sub_services_status"] = null,
        ["tenant_name"] = d.TenantName,
        ["unavailable_instances"] = instances.Count(i => i.State != NodeInstanceState.Started),
        ["updated_at"] = Wire.Timestamp(d.UpdatedAt),
        ["visibility"] = d.Visibility,
        ["workdir_zip"] = null,
        ["workflows"] = RenderWorkflows(d.Workflows, instances),
        ["workflows_p"] = null,
    };

    /// <summary>Workflows as Cloudify lists them, with <c>is_available</c> from <c>node_instances_active</c>.</summary>
    public static JsonArray RenderWorkflows(JsonObject workflows, IReadOnlyList<NodeInstance> instances)
    {
        var started = instances.Count(i => i.State == NodeInstanceState.Started);
        var active = started == 0 ? "none" : started == instances.Count ? "all" : "partial";
        var list = new JsonArray();
        foreach (var (name, value) in workflows)
        {
            var record = value as JsonObject ?? [];
            var rules = record["availability_rules"] as JsonObject;
            var available = rules?["node_instances_active"] is not JsonArray allowed
                || allowed.Any(a => a?.GetValue<string>() == active);
            list.Add(new JsonObject
            {
                ["availability_rules"] = Wire.Clone(rules),
                ["is_available"] = available,
                ["is_cascading"] = Wire.Clone(record["is_cascading"]) ?? false,
                ["name"] = name,
                ["operation"] = Wire.Clone(record["operation"]),
                ["parameters"] = Wire.Clone(record["parameters"]) ?? new JsonObject(),
                ["plugin"] = Wire.Clone(record["plugin"]),
            });
        }

        return list;
    }
}
