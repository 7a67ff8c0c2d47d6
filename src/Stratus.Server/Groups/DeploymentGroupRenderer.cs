using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Groups;

/// <summary>A deployment group in Cloudify 7.1's shape (DeploymentGroup.to_response).</summary>
internal static class DeploymentGroupRenderer
{
    private static readonly string[] Listable = ["id", "description", "default_blueprint_id", "created_at", "visibility", "created_by", "tenant_name"];

    public static readonly ResourceFields Fields = new(
        Sortable: Listable,
        Filterable: Listable,
        Includable:
        [
            "created_at", "created_by", "creation_counter", "default_blueprint_id", "default_inputs", "deployment_ids", "description", "id",
            "labels", "private_resource", "resource_availability", "tenant_name", "visibility",
        ])
    {
        Ignored = ["_all_tenants"],
    };

    /// <summary>Labels are not stored for groups yet, so the list is always empty.</summary>
    public static JsonObject Render(DeploymentGroup g) => new()
    {
        ["created_at"] = Wire.Timestamp(g.CreatedAt),
        ["created_by"] = g.CreatedBy,
        ["creation_counter"] = g.CreationCounter,
        ["default_blueprint_id"] = g.DefaultBlueprintId,
        ["default_inputs"] = Wire.Clone(g.DefaultInputs),
        ["deployment_ids"] = new JsonArray([.. g.DeploymentIds.Select(id => (JsonNode)id)]),
        ["description"] = g.Description,
        ["id"] = g.Id,
        ["labels"] = new JsonArray(),
        ["private_resource"] = g.Visibility == Visibility.Private,
        ["resource_availability"] = g.Visibility,
        ["tenant_name"] = g.TenantName,
        ["visibility"] = g.Visibility,
    };
}
