using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// The parameters of Cloudify's <c>scale_entity</c>, read as its Python reads them: delta converted with
/// <c>int()</c>, include/exclude as a list (a single id becomes one), the untyped flags by Python truthiness.
/// </summary>
internal sealed record ScaleParameters(
    string Entity, long Delta, bool ScaleCompute, bool IgnoreFailure, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude,
    bool RollbackIfFailed, bool AbortStarted)
{
    /// <summary>The parameters, or Cloudify's message for the first that is wrong.</summary>
    public static (ScaleParameters? Parameters, string? Error) Read(JsonObject p)
    {
        var entity = p["scalable_entity_name"] is JsonValue e && e.GetValueKind() == JsonValueKind.String ? e.GetValue<string>() : p["scalable_entity_name"]?.ToJsonString();
        if (entity is null)
        {
            return (null, "scale_entity() missing 1 required positional argument: 'scalable_entity_name'");
        }

        var include = List(p["include_instances"]);
        var exclude = List(p["exclude_instances"]);
        if (!TryDelta(p["delta"], out var delta))
        {
            return (null, $"The delta parameter must be a number. Got: {Display(p["delta"])}");
        }

        return (new ScaleParameters(
            entity,
            delta,
            Truthy(p["scale_compute"], false),
            Truthy(p["ignore_failure"], false),
            include,
            exclude,
            Truthy(p["rollback_if_failed"], true),
            Truthy(p["abort_started"], false)), null);
    }

    private static bool TryDelta(JsonNode? node, out long delta)
    {
        delta = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.Number => long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out delta),
            JsonValueKind.String => long.TryParse(v.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out delta),
            _ => false,
        };
    }

    private static List<string> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => [.. a.Select(Display)],
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0 => [],
        _ => [Display(node)],
    };

    private static bool Truthy(JsonNode? node, bool missing) => node switch
    {
        null => missing,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => v.ToJsonString() is not ("0" or "0.0"),
            _ => true,
        },
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        _ => true,
    };

    private static string Display(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "None";
}
