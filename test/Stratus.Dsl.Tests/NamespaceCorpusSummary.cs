using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>The facts of a plan that the oracle's summary (expected.json) records, built from Stratus's plans.</summary>
internal static class NamespaceCorpusSummary
{
    public static readonly string[] Keys =
    [
        "nodes", "nodes_count", "inputs", "outputs", "capabilities", "workflows", "groups", "policies",
        "scaling_groups", "deployment_plugins_to_install", "workflow_plugins_to_install", "relationship_types_count",
        "node_instances_count", "node_instances_per_node",
    ];

    public static JsonObject Of(JsonObject plan, JsonObject deployment)
    {
        var perNode = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var instance in deployment["node_instances"]!.AsArray())
        {
            var node = instance!["node_id"]!.GetValue<string>();
            perNode[node] = perNode.GetValueOrDefault(node) + 1;
        }

        return new JsonObject
        {
            ["nodes"] = new JsonArray(plan["nodes"]!.AsArray().Select(n => (JsonNode?)Node(n!.AsObject())).ToArray()),
            ["nodes_count"] = plan["nodes"]!.AsArray().Count,
            ["inputs"] = plan["inputs"]?.DeepClone(),
            ["outputs"] = plan["outputs"]?.DeepClone(),
            ["capabilities"] = plan["capabilities"]?.DeepClone(),
            ["workflows"] = Names(plan["workflows"]),
            ["groups"] = Names(plan["groups"]),
            ["policies"] = Names(plan["policies"]),
            ["scaling_groups"] = Names(plan["scaling_groups"]),
            ["deployment_plugins_to_install"] = PluginNames(plan["deployment_plugins_to_install"]),
            ["workflow_plugins_to_install"] = PluginNames(plan["workflow_plugins_to_install"]),
            ["relationship_types_count"] = plan["relationships"]!.AsObject().Count,
            ["node_instances_count"] = deployment["node_instances"]!.AsArray().Count,
            ["node_instances_per_node"] = new JsonObject(perNode.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
    }

    /// <summary>Key-sorted JSON with nodes ordered by id, so equal facts compare equal as text.</summary>
    public static string Canonical(JsonNode? value) => value switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\"{kv.Key}\":{Canonical(kv.Value)}")) + "}",
        JsonArray array when array.All(n => n is JsonObject o && o.ContainsKey("id")) =>
            "[" + string.Join(",", array.OrderBy(n => n!["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(Canonical)) + "]",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => value.ToJsonString(),
    };

    private static JsonObject Node(JsonObject node) => new()
    {
        ["id"] = node["id"]!.DeepClone(),
        ["type"] = node["type"]!.DeepClone(),
        ["type_hierarchy"] = node["type_hierarchy"]?.DeepClone(),
        ["properties"] = node["properties"]?.DeepClone(),
        ["relationships"] = new JsonArray(node["relationships"]!.AsArray().Select(r => (JsonNode?)new JsonObject
        {
            ["type"] = r!["type"]!.DeepClone(),
            ["target_id"] = r["target_id"]!.DeepClone(),
            ["type_hierarchy"] = r["type_hierarchy"]?.DeepClone(),
        }).ToArray()),
        ["operations"] = Names(node["operations"]),
        ["plugins"] = PluginNames(node["plugins"]),
        ["capabilities"] = node["capabilities"]?.DeepClone(),
    };

    private static JsonArray Names(JsonNode? section) =>
        new((section?.AsObject().Select(kv => kv.Key) ?? []).Order(StringComparer.Ordinal).Select(k => (JsonNode?)k).ToArray());

    private static JsonArray PluginNames(JsonNode? plugins) =>
        new((plugins?.AsArray().Select(p => p!["name"]!.GetValue<string>()) ?? []).Order(StringComparer.Ordinal).Select(k => (JsonNode?)k).ToArray());
}
