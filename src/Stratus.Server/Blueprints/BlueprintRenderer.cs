using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Blueprints;

/// <summary>A blueprint in Cloudify 7.1's shape (wire 08/09).</summary>
internal static class BlueprintRenderer
{
    public static readonly ResourceFields Fields = new(
        Sortable: ["id", "created_at", "updated_at", "state", "main_file_name", "visibility", "created_by"],
        Filterable: ["id", "created_at", "updated_at", "state", "main_file_name", "visibility", "created_by"],
        Includable:
        [
            "created_at", "created_by", "description", "error", "error_traceback", "id", "is_hidden", "labels",
            "main_file_name", "plan", "private_resource", "requirements", "resource_availability", "state",
            "tenant_name", "updated_at", "upload_execution", "visibility",
        ]);

    public static JsonObject Render(Blueprint b) => Render(b, null);

    public static JsonObject Render(Blueprint b, JsonObject? uploadExecution) => Render(b, uploadExecution, Wire.Clone(b.Plan));

    /// <summary>
    /// Renders a blueprint the caller owns and drops afterwards (the one just uploaded): its plan, which can be tens
    /// of megabytes, moves into the response instead of being deep-copied.
    /// </summary>
    public static JsonObject RenderOwned(Blueprint b, JsonObject? uploadExecution) =>
        Render(b, uploadExecution, b.Plan is { Parent: null } plan ? plan : Wire.Clone(b.Plan));

    private static JsonObject Render(Blueprint b, JsonObject? uploadExecution, JsonNode? plan) => new()
    {
        ["created_at"] = Wire.Timestamp(b.CreatedAt),
        ["created_by"] = b.CreatedBy,
        ["description"] = b.Description,
        ["error"] = b.Error,
        ["error_traceback"] = null,
        ["id"] = b.Id,
        ["is_hidden"] = b.IsHidden,
        ["labels"] = Labels.LabelRenderer.Render(b.Labels),
        ["main_file_name"] = b.MainFileName,
        ["plan"] = plan,
        ["plan_p"] = null,
        ["private_resource"] = b.Visibility == Visibility.Private,
        ["requirements"] = new JsonObject { ["parent_capabilities"] = new JsonArray(), ["secrets"] = new JsonArray() },
        ["resource_availability"] = b.Visibility,
        ["state"] = b.State,
        ["tenant_name"] = b.TenantName,
        ["updated_at"] = Wire.Timestamp(b.UpdatedAt),
        ["upload_execution"] = uploadExecution,
        ["visibility"] = b.Visibility,
    };
}
