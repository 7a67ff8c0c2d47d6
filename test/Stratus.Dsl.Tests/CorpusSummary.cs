using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>
/// The summary the oracle script (parse_blueprint.py <c>_summary</c>) prints, built from Stratus's plan and deployment
/// plan: the blueprint-plan parts come from the plan before deployment, node instances and inputs from the deployment plan.
/// </summary>
internal static class CorpusSummary
{
    public static JsonObject Build(JsonObject plan, DeploymentPlan? deployment)
    {
        var result = new JsonObject
        {
            ["dsl_version"] = Copy(plan["version"]),
            ["description"] = Copy(plan["description"]),
            ["inputs"] = Copy(plan["inputs"]),
            ["outputs"] = Copy(plan["outputs"]),
            ["capabilities"] = Copy(plan["capabilities"]),
            ["workflows"] = SortedKeys(plan["workflows"]),
            ["groups"] = SortedKeys(plan["groups"]),
            ["policies"] = SortedKeys(plan["policies"]),
            ["relationship_types_count"] = (plan["relationships"] as JsonObject)?.Count ?? 0,
            ["data_types_count"] = (plan["data_types"] as JsonObject)?.Count ?? 0,
            ["scaling_groups"] = SortedKeys(plan["scaling_groups"]),
            ["labels"] = Copy(plan["labels"]),
            ["blueprint_labels"] = Copy(plan["blueprint_labels"]),
            ["deployment_plugins_to_install"] = SortedNames(plan["deployment_plugins_to_install"]),
            ["workflow_plugins_to_install"] = SortedNames(plan["workflow_plugins_to_install"]),
            ["nodes_count"] = Objects(plan["nodes"]).Count(),
            ["nodes"] = new JsonArray(Objects(plan["nodes"]).Select(Node).OrderBy(n => Text(n["id"]), StringComparer.Ordinal).ToArray<JsonNode?>()),
        };
        if (deployment is not null)
        {
            var instances = Objects(deployment.NodeInstances).ToList();
            result["node_instances_count"] = instances.Count;
            var perNode = new JsonObject();
            foreach (var group in instances.GroupBy(i => Text(i["node_id"])).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                perNode[group.Key] = group.Count();
            }

            result["node_instances_per_node"] = perNode;
            var summaries = instances
                .Select(i => (NodeId: Text(i["node_id"]), Targets: Objects(i["relationships"]).Select(r => Text(r["target_name"])).Order(StringComparer.Ordinal).ToList()))
                .OrderBy(i => i.NodeId, StringComparer.Ordinal)
                .ThenBy(i => i.Targets, TargetsComparer.Instance)
                .Select(i => (JsonNode?)new JsonObject
                {
                    ["node_id"] = i.NodeId,
                    ["relationships"] = new JsonArray(i.Targets.Select(t => (JsonNode?)t).ToArray()),
                });
            result["node_instances"] = new JsonArray(summaries.ToArray());
            result["resolved_inputs"] = Copy(deployment.Inputs);
        }

        return result;
    }

    private static JsonObject Node(JsonObject node) => new()
    {
        ["id"] = Copy(node["id"]),
        ["type"] = Copy(node["type"]),
        ["type_hierarchy"] = Copy(node["type_hierarchy"]),
        ["properties"] = Copy(node["properties"]),
        ["relationships"] = new JsonArray(Objects(node["relationships"]).Select(r => (JsonNode?)new JsonObject
        {
            ["type"] = Copy(r["type"]),
            ["target_id"] = Copy(r["target_id"]),
            ["type_hierarchy"] = Copy(r["type_hierarchy"]),
        }).ToArray()),
        ["operations"] = SortedKeys(node["operations"]),
        ["plugins"] = SortedNames(node["plugins"]),
        ["capabilities"] = Copy(node["capabilities"]),
    };

    private static JsonNode? Copy(JsonNode? value) => value?.DeepClone();

    private static string Text(JsonNode? value) => value?.GetValue<string>() ?? "";

    private static IEnumerable<JsonObject> Objects(JsonNode? value) =>
        (value as JsonArray ?? []).OfType<JsonObject>();

    private static JsonArray SortedKeys(JsonNode? value) =>
        new((value as JsonObject ?? []).Select(kv => kv.Key).Order(StringComparer.Ordinal).Select(k => (JsonNode?)k).ToArray());

    private static JsonArray SortedNames(JsonNode? value) =>
        new(Objects(value).Select(p => Text(p["name"])).Order(StringComparer.Ordinal).Select(k => (JsonNode?)k).ToArray());

    /// <summary>Python's ordering of lists of strings: element by element, a prefix first.</summary>
    private sealed class TargetsComparer : IComparer<List<string>>
    {
        public static readonly TargetsComparer Instance = new();

        public int Compare(List<string>? x, List<string>? y)
        {
            x ??= [];
            y ??= [];
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = string.CompareOrdinal(x[i], y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}
