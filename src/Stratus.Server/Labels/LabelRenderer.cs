using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Labels;

/// <summary>Labels as Cloudify lists them on a blueprint or deployment: <c>[{key, value, created_at, created_by}]</c>.</summary>
internal static class LabelRenderer
{
    public static JsonArray Render(IEnumerable<ResourceLabel> labels) =>
    [
        .. labels.Select(l => (JsonNode)new JsonObject
        {
            ["key"] = l.Key,
            ["value"] = l.Value,
            ["created_at"] = Wire.Timestamp(l.CreatedAt),
            ["created_by"] = l.CreatedBy,
        }),
    ];
}
