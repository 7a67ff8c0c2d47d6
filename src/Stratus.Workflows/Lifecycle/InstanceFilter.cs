using System.Text.Json.Nodes;
using Stratus.Core.Model;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>_filter_node_instances</c>: an instance is selected when its node is in <c>node_ids</c>, its node's
/// type hierarchy meets <c>type_names</c> and it is in <c>node_instance_ids</c> (each filter only when given).
/// </summary>
internal static class InstanceFilter
{
    public static List<NodeInstance> Select(DeploymentModel model, JsonObject parameters)
    {
        var nodeIds = Strings(parameters, "node_ids");
        var instanceIds = Strings(parameters, "node_instance_ids");
        var typeNames = Strings(parameters, "type_names");
        return
        [
            .. model.Instances.Where(i =>
                (nodeIds.Count == 0 || nodeIds.Contains(i.NodeId))
                && (instanceIds.Count == 0 || instanceIds.Contains(i.Id))
                && (typeNames.Count == 0 || model.NodeOf(i).TypeHierarchy.Any(typeNames.Contains))),
        ];
    }

    internal static bool? Flag(JsonObject parameters, string key) =>
        parameters[key] is JsonValue value && value.TryGetValue(out bool flag) ? flag : null;

    internal static HashSet<string> Strings(JsonObject parameters, string key) =>
        parameters[key] is JsonArray array
            ? [.. array.OfType<JsonValue>().Select(v => v.TryGetValue(out string? s) ? s : null).OfType<string>()]
            : [];
}
