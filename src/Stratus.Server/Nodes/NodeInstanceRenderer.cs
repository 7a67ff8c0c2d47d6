using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Nodes;

/// <summary>A node instance in Cloudify 7.1's shape (wire 19/28).</summary>
internal static class NodeInstanceRenderer
{
    public static readonly ResourceFields Fields = new(
        Sortable: ["id", "deployment_id", "node_id", "state", "host_id", "index"],
        Filterable: ["id", "deployment_id", "node_id", "state", "host_id", "index"],
        Includable:
        [
            "created_by", "deployment_id", "has_configuration_drift", "host_id", "id", "index", "is_status_check_ok",
            "node_id", "private_resource", "relationships", "resource_availability", "runtime_properties",
            "scaling_groups", "state", "system_properties", "tenant_name", "version", "visibility",
        ])
    {
        Ignored = ["_evaluate_functions"],
        Aliases = new Dictionary<string, string> { ["node_name"] = "node_id" },
    };

    public static JsonObject Render(NodeInstance i) => new()
    {
        ["created_by"] = i.CreatedBy,
        ["deployment_id"] = i.DeploymentId,
        ["has_configuration_drift"] = IsTrue(i.SystemProperties?["configuration_drift"]?["result"]),
        ["host_id"] = i.HostId,
        ["id"] = i.Id,
        ["index"] = i.Index,
        ["is_status_check_ok"] = IsTrue(i.SystemProperties?["status"]?["ok"]),
        ["node_id"] = i.NodeId,
        ["private_resource"] = i.Visibility == Visibility.Private,
        ["relationships"] = Wire.Clone(i.Relationships),
        ["relationships_p"] = null,
        ["resource_availability"] = i.Visibility,
        ["runtime_properties"] = Wire.Clone(i.RuntimeProperties),
        ["runtime_properties_p"] = null,
        ["scaling_groups"] = Wire.Clone(i.ScalingGroups),
        ["scaling_groups_p"] = null,
        ["state"] = i.State,
        ["system_properties"] = Wire.Clone(i.SystemProperties),
        ["tenant_name"] = i.TenantName,
        ["version"] = i.Version,
        ["visibility"] = i.Visibility,
    };

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
