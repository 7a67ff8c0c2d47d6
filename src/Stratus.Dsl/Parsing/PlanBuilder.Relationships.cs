using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private static readonly string[] RelationshipKeys =
        ["type", "target", "properties", "source_interfaces", "target_interfaces"];

    private JsonObject BuildRelationshipTypes()
    {
        var result = new JsonObject();
        foreach (var name in _relationshipTypes.Names)
        {
            _errors.Run("relationships", name, () => result[name] = RelationshipTypeRecord(name));
        }

        return result;
    }

    private JsonObject RelationshipTypeRecord(string name)
    {
        CheckRelationshipType(name);
        var type = _relationshipTypes.Get(name);
        var properties = new JsonObject();
        foreach (var (key, schema) in type.Properties)
        {
            properties[key] = schema.DeepClone();
        }

        var record = new JsonObject { ["name"] = name };
        if (type.DerivedFrom is not null)
        {
            record["derived_from"] = type.DerivedFrom;
        }

        record["properties"] = properties;
        record["source_interfaces"] = Interfaces(type.Interfaces);
        record["target_interfaces"] = Interfaces(type.TargetInterfaces);
        record["type_hierarchy"] = new JsonArray(type.Hierarchy.Select(h => (JsonNode?)h).ToArray());
        return record;
    }

    private JsonArray Relationships(
        YNode? node, string nodeName, Dictionary<string, SectionEntry> byName, Dictionary<string, string> containers)
    {
        var result = new JsonArray();
        if (node is null or YScalar { IsNull: true })
        {
            return result;
        }

        foreach (var item in Y.ListOf(node, $"relationships of node '{nodeName}'").Items)
        {
            var what = $"relationship of node '{nodeName}'";
            var map = Y.Map(item, what);
            Y.Keys(map, what, RelationshipKeys);
            var typeNode = Y.Required(map, "type", what);
            var typeName = Y.String(typeNode, $"type of {what}");
            var targetNode = Y.Required(map, "target", what);
            var target = Y.String(targetNode, $"target of {what}");
            var type = _relationshipTypes.TryGet(typeName)
                ?? throw typeNode.Mark.Error(26, $"A relationship instance under node '{nodeName}' declares an undefined relationship type '{typeName}'");
            if (target == nodeName)
            {
                throw targetNode.Mark.Error(23, $"A relationship instance under node '{nodeName}' of type '{typeName}' declares itself as its target");
            }

            if (!byName.TryGetValue(target, out var targetEntry))
            {
                throw targetNode.Mark.Error(25, $"A relationship instance under node '{nodeName}' of type '{typeName}' references a non existent target node '{target}'");
            }

            if (type.IsA(ContainedIn))
            {
                if (containers.TryGetValue(nodeName, out var container))
                {
                    throw typeNode.Mark.Error(
                        112, $"Node '{nodeName}' has more than one relationship that is derived from '{ContainedIn}' relationship. Found targets: ['{container}', '{target}']");
                }

                containers[nodeName] = target;
            }

            if (typeName == LifecycleDependency)
            {
                ValidateLifecycleDependency(map, nodeName, target, targetEntry);
            }

            var properties = Properties(
                map["properties"], type.Properties, nodeName, map.Mark,
                (n, p) => $"'{n}' node relationship '{typeName}' property '{p}' is not part of the relationship type properties schema",
                (n, p) => $"'{n}' node relationship does not provide a value for mandatory '{p}' property which is part of its relationship type schema");
            var sourceTemplate = TypeResolver.ParseInterfaces(map["source_interfaces"], $"source_interfaces of {what}");
            var targetTemplate = TypeResolver.ParseInterfaces(map["target_interfaces"], $"target_interfaces of {what}");
            var partial = $"in relationship of type '{typeName}' in node '{nodeName}'";
            var (sourceInterfaces, sourceOperations) = Cached(
                sourceTemplate.Count == 0 ? "source:" + typeName : null,
                () =>
                {
                    var merged = MergeInterfacesForTemplate(type.Interfaces, sourceTemplate, what);
                    return (Interfaces(merged), Operations(merged, 19, partial));
                });
            var (targetInterfaces, targetOperations) = Cached(
                targetTemplate.Count == 0 ? "target:" + typeName : null,
                () =>
                {
                    var merged = MergeInterfacesForTemplate(type.TargetInterfaces, targetTemplate, what);
                    return (Interfaces(merged), Operations(merged, 19, partial));
                });
            result.Add(new JsonObject
            {
                ["type"] = typeName,
                ["target_id"] = target,
                ["properties"] = properties,
                ["type_hierarchy"] = new JsonArray(type.Hierarchy.Select(h => (JsonNode?)h).ToArray()),
                ["source_interfaces"] = sourceInterfaces,
                ["target_interfaces"] = targetInterfaces,
                ["source_operations"] = sourceOperations,
                ["target_operations"] = targetOperations,
            });
        }

        return result;
    }

    private const string LifecycleDependency = "cloudify.relationships.depends_on_lifecycle_operation";

    /// <summary>
    /// Like Cloudify, checked before the relationship's properties, for that exact type: the operation must be named
    /// and be declared in the target template's own cloudify.interfaces.lifecycle.
    /// </summary>
    private static void ValidateLifecycleDependency(YMap relationship, string nodeName, string target, SectionEntry targetEntry)
    {
        var operation = (relationship["properties"] as YMap)?["operation"];
        if (operation is null or YScalar { IsNull: true } or YScalar { Value: "" or false })
        {
            throw relationship.Mark.Error(
                215, $"Node '{nodeName}': a '{LifecycleDependency}' relationship needs an \"operation\" property naming a lifecycle operation of its target");
        }

        var name = Y.String(operation, $"operation of the relationship of node '{nodeName}'");
        var lifecycle = ((targetEntry.Value as YMap)?["interfaces"] as YMap)?["cloudify.interfaces.lifecycle"] as YMap;
        if (lifecycle?.ContainsKey(name) != true)
        {
            throw operation.Mark.Error(
                216, $"Please define \"{name}\" operation in the target node \"{target}\" for \"{nodeName}\" node's \"{LifecycleDependency}\" relationship");
        }
    }
}
