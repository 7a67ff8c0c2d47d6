using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Secrets;

/// <summary>A secret in Cloudify's shapes: the full resource (<c>models.Secret</c>) and the list item (<c>SecretsListResponse</c>, no value).</summary>
internal static class SecretRenderer
{
    private static readonly string[] Listable = ["key", "created_at", "updated_at", "visibility", "is_hidden_value", "created_by", "tenant_name"];

    public static readonly ResourceFields Fields = new(
        Sortable: Listable,
        Filterable: Listable,
        Includable: ["created_at", "created_by", "is_hidden_value", "key", "provider_name", "resource_availability", "tenant_name", "updated_at", "visibility"]);

    public static readonly ResourceFields GetFields = Fields with
    {
        Includable = [.. Fields.Includable, "private_resource", "provider_options", "schema", "value"],
    };

    /// <summary>The resource with <paramref name="value"/> as given: clear, empty (hidden) or, after a write, the stored text (as Cloudify answers).</summary>
    public static JsonObject Render(Secret s, JsonNode? value) => new()
    {
        ["created_at"] = Wire.Timestamp(s.CreatedAt),
        ["created_by"] = s.CreatedBy,
        ["is_hidden_value"] = s.IsHiddenValue,
        ["key"] = s.Key,
        ["private_resource"] = s.Visibility == Visibility.Private,
        ["provider_name"] = null,
        ["provider_options"] = null,
        ["resource_availability"] = s.Visibility,
        ["schema"] = Wire.Clone(s.Schema),
        ["tenant_name"] = s.TenantName,
        ["updated_at"] = Wire.Timestamp(s.UpdatedAt),
        ["value"] = value,
        ["visibility"] = s.Visibility,
    };

    public static JsonObject RenderListItem(Secret s) => new()
    {
        ["created_at"] = Wire.Timestamp(s.CreatedAt),
        ["created_by"] = s.CreatedBy,
        ["is_hidden_value"] = s.IsHiddenValue,
        ["key"] = s.Key,
        ["provider_name"] = null,
        ["resource_availability"] = s.Visibility,
        ["tenant_name"] = s.TenantName,
        ["updated_at"] = Wire.Timestamp(s.UpdatedAt),
        ["visibility"] = s.Visibility,
    };
}
