using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Finds the <c>get_capability</c> uses of a deployment plan in the order and with the paths Cloudify's dsl_parser
/// gives them (scan_service_template: node properties, node capabilities, operation inputs, relationship operation
/// inputs, outputs, policies, scaling groups, capabilities, labels, deployment settings). A use inside a node yields
/// one entry per node instance (its context names the instance), as Cloudify's <c>_format_idds</c> expands it.
/// </summary>
public static class InterDeploymentFunctions
{
    private const string Creating = "get_capability";

    public static IReadOnlyList<InterDeploymentFunction> Find(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var found = new List<InterDeploymentFunction>();
        var instancesByNode = plan.NodeInstances.OfType<JsonObject>().ToLookup(i => Text(i["node_id"]) ?? "", StringComparer.Ordinal);
        foreach (var node in plan.Nodes.OfType<JsonObject>())
        {
            var name = Text(node["id"]) ?? Text(node["name"]) ?? "";
            var instances = instancesByNode[name].ToList();
            var uses = new List<(string Path, JsonNode? Target)>();
            Scan(node["properties"], $"nodes.{name}.properties", uses);
            foreach (var (capability, definition) in node["capabilities"] as JsonObject ?? [])
            {
                Scan(definition?["properties"], $"nodes.{name}.capabilities.{capability}", uses);
            }

            ScanOperations(node["operations"], $"nodes.{name}.operations", uses);
            foreach (var use in uses)
            {
                found.AddRange(instances.Select(i => Entry(use, new JsonObject { ["self"] = Text(i["id"]) })));
            }

            foreach (var relationship in (node["relationships"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var relationshipUses = new List<(string Path, JsonNode? Target)>();
                var path = $"nodes.{name}.{Text(relationship["type"])}";
                ScanOperations(relationship["source_operations"], path, relationshipUses);
                ScanOperations(relationship["target_operations"], path, relationshipUses);
                foreach (var use in relationshipUses)
                {
                    found.AddRange(instances.Select(i => Entry(use, new JsonObject
                    {
                        ["self"] = Text(i["id"]),
                        ["source"] = Text(i["id"]),
                        ["target"] = RelationshipTarget(i, relationship),
                    })));
                }
            }
        }

        var planUses = new List<(string Path, JsonNode? Target)>();
        Section(plan.Outputs, "outputs", null, planUses);
        Section(plan.Plan["policies"] as JsonObject, "policies", "properties", planUses);
        Section(plan.ScalingGroups, "scaling_groups", "properties", planUses);
        Section(plan.Capabilities, "capabilities", null, planUses);
        Section(plan.Plan["labels"] as JsonObject, "labels", null, planUses);
        Scan(plan.Plan["deployment_settings"], "deployment_settings", planUses);
        found.AddRange(planUses.Select(use => Entry(use, [])));
        return found;
    }

    private static InterDeploymentFunction Entry((string Path, JsonNode? Target) use, JsonObject context)
    {
        var literal = use.Target?.GetValueKind() switch
        {
            JsonValueKind.String => use.Target.GetValue<string>(),
            JsonValueKind.Number => use.Target.ToJsonString(),
            _ => null,
        };
        return new InterDeploymentFunction($"{use.Path}.{Creating}", literal, literal is null ? use.Target?.DeepClone() : null, context);
    }

    private static void Section(JsonObject? section, string prefix, string? inner, List<(string, JsonNode?)> uses)
    {
        foreach (var (name, value) in section ?? [])
        {
            Scan(inner is null ? value : value?[inner], inner is null ? $"{prefix}.{name}" : $"{prefix}.{name}.{inner}", uses);
        }
    }

    private static void ScanOperations(JsonNode? operations, string path, List<(string, JsonNode?)> uses)
    {
        foreach (var (name, operation) in operations as JsonObject ?? [])
        {
            if (operation is JsonObject definition && definition.ContainsKey("inputs"))
            {
                Scan(definition["inputs"], $"{path}.{name}.inputs", uses);
            }
        }
    }

    /// <summary>Cloudify's scan_properties with the finding handler: children (keys, list items) first, then the value itself.</summary>
    private static void Scan(JsonNode? container, string path, List<(string, JsonNode?)> uses)
    {
        switch (container)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Visit(value, $"{path}.{key}", uses);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(array[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), uses);
                }

                break;
        }
    }

    private static void Visit(JsonNode? value, string path, List<(string, JsonNode?)> uses)
    {
        Scan(value, path, uses);
        if (IntrinsicFunctions.FunctionName(value) == Creating && value![Creating] is JsonArray { Count: > 0 } args)
        {
            uses.Add((path, args[0]));
        }
    }

    private static string? RelationshipTarget(JsonObject instance, JsonObject relationship)
    {
        var targetNode = Text(relationship["target_id"]);
        var type = Text(relationship["type"]);
        return (instance["relationships"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(r => Text(r["target_name"]) == targetNode && (Text(r["type"]) ?? type) == type)
            .Select(r => Text(r["target_id"]))
            .FirstOrDefault();
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
