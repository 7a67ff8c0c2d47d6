using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Modifications;

/// <summary>A deployment modification in Cloudify 7.1's shape (DeploymentModification.to_response).</summary>
internal static class DeploymentModificationRenderer
{
    private static readonly string[] Listable = ["id", "deployment_id", "status", "created_at", "ended_at", "visibility", "created_by", "tenant_name"];

    public static readonly ResourceFields Fields = new(
        Sortable: Listable,
        Filterable: Listable,
        Includable:
        [
            "context", "created_at", "created_by", "deployment_id", "ended_at", "id", "modified_nodes", "node_instances",
            "private_resource", "resource_availability", "status", "tenant_name", "visibility",
        ])
    {
        Ignored = ["_all_tenants"],
    };

    public static JsonObject Render(DeploymentModification m) => new()
    {
        ["context"] = Wire.Clone(m.Context),
        ["created_at"] = Wire.Timestamp(m.CreatedAt),
        ["created_by"] = m.CreatedBy,
        ["deployment_id"] = m.DeploymentId,
        ["ended_at"] = Wire.Timestamp(m.EndedAt),
        ["id"] = m.Id,
        ["modified_nodes"] = Wire.Clone(m.ModifiedNodes),
        ["node_instances"] = Wire.Clone(m.NodeInstances),
        ["private_resource"] = m.Visibility == Visibility.Private,
        ["resource_availability"] = m.Visibility,
        ["status"] = m.Status,
        ["tenant_name"] = m.TenantName,
        ["visibility"] = m.Visibility,
    };
}
