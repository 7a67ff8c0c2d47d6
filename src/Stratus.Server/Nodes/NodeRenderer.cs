using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Nodes;

/// <summary>A node in Cloudify 7.1's shape (wire 18).</summary>
internal static class NodeRenderer
{
    public static readonly ResourceFields Fields = new(
        Sortable: ["id", "deployment_id", "blueprint_id", "type", "host_id"],
        Filterable: ["id", "deployment_id", "blueprint_id", "type", "host_id"],
        Includable:
        [
            "actual_number_of_instances", "actual_planned_number_of_instances", "blueprint_id", "created_by",
            "deploy_number_of_instances", "deployment_display_name", "deployment_id", "drifted_instances", "host_id",
            "id", "max_number_of_instances", "min_number_of_instances", "number_of_instances", "operations",
            "planned_number_of_instances", "plugins", "plugins_to_install", "private_resource", "properties",
            "relationships", "resource_availability", "tenant_name", "type", "type_hierarchy", "unavailable_instances",
            "visibility",
        ])
    {
        Ignored = ["_evaluate_functions", "_instance_context"],
    };

    public static JsonObject Render(Node n, string? deploymentDisplayName, IReadOnlyList<NodeInstance> instances) => new()
    {
        ["actual_number_of_instances"] = instances.Count,
        ["actual_planned_number_of_instances"] = 0,
        ["blueprint_id"] = n.BlueprintId,
        ["created_by"] = n.CreatedBy,
        ["deploy_number_of_instances"] = n.DeployNumberOfInstances,
        ["deployment_display_name"] = deploymentDisplayName,
        ["deployment_id"] = n.DeploymentId,
        ["drifted_instances"] = 0,
        ["host_id"] = n.HostId,
        ["id"] = n.Id,
        ["max_number_of_instances"] = n.MaxNumberOfInstances,
        ["min_number_of_instances"] = n.MinNumberOfInstances,
        ["number_of_instances"] = n.NumberOfInstances,
        ["operations"] = Wire.Clone(n.Operations),
        ["operations_p"] = null,
        ["planned_number_of_instances"] = n.PlannedNumberOfInstances,
        ["plugins"] = Wire.Clone(n.Plugins),
        ["plugins_p"] = null,
        ["plugins_to_install"] = n.PluginsToInstall.Count == 0 ? null : Wire.Clone(n.PluginsToInstall),
        ["plugins_to_install_p"] = null,
        ["private_resource"] = n.Visibility == Visibility.Private,
        ["properties"] = Wire.Clone(n.Properties),
        ["properties_p"] = null,
        ["relationships"] = Wire.Clone(n.Relationships),
        ["relationships_p"] = null,
        ["resource_availability"] = n.Visibility,
        ["tenant_name"] = n.TenantName,
        ["type"] = n.Type,
        ["type_hierarchy"] = new JsonArray([.. n.TypeHierarchy.Select(t => JsonValue.Create(t))]),
        ["type_hierarchy_p"] = null,
        ["unavailable_instances"] = instances.Count(i => i.State != NodeInstanceState.Started),
        ["visibility"] = n.Visibility,
    };
}
