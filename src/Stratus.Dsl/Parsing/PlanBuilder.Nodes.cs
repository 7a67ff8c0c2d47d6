using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private const string ComputeType = "cloudify.nodes.Compute";

    private const string ContainedIn = "cloudify.relationships.contained_in";

    private static readonly string[] NodeKeys =
        ["type", "properties", "interfaces", "relationships", "instances", "capabilities", "description", "metadata"];

    /// <summary>Property types must name a primitive or a data type; relationship type operations must resolve (error 19).</summary>

    private void ValidateTypeSchemas()
    {
        foreach (var section in new[] { "node_types", "relationships" })
        {
            foreach (var entry in _source.Section(section).Where(e => !e.BuiltIn && !_errors.HasFailed(section, e.Name)))
            {
                _errors.Run(section, entry.Name, () => ValidatePropertyTypes(section, entry));
            }
        }

        foreach (var entry in _source.Section("relationships").Where(e => !e.BuiltIn && !_errors.HasFailed("relationships", e.Name)))
        {
            _errors.Run("relationships", entry.Name, () => ValidateRelationshipOperations(entry));
        }
    }

    private void ValidatePropertyTypes(string section, SectionEntry entry)
    {
        if (entry.Value is not YMap type || type["properties"] is not YMap properties)
        {
            return;
        }

        foreach (var (key, schema) in properties.Entries)
        {
            if (schema is YMap s && s["type"] is YScalar { Value: string typeName } typeNode
                && !ValueTyper.IsKnownType(typeName, _dataTypes))
            {
                throw typeNode.Mark.Error(103, $"Illegal type name '{typeName}' of property '{key.Text}' of {section[..^1]} '{entry.Name}'");
            }
        }
    }

    private void ValidateRelationshipOperations(SectionEntry entry)
    {
        CheckRelationshipType(entry.Name);
        var type = _relationshipTypes.Get(entry.Name);
        foreach (var interfaces in new[] { type.Interfaces, type.TargetInterfaces })
        {
            foreach (var (iface, ops) in interfaces)
            {
                foreach (var (name, op) in ops)
                {
                    ProcessOperation(name, op, 19, $"In interface '{iface}' of relationship '{entry.Name}'");
                }
            }
        }
    }

    private JsonArray BuildNodes()
    {
        var entries = _source.Section("node_templates");
        var byName = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byName[entry.Name] = entry;
        }

        var nodes = new List<JsonObject>(entries.Count);
        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostTypes = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _errors.Run("node_templates", entry.Name, () =>
            {
                ThrowIfTemplateUsesFailedType(entry);
                nodes.Add(BuildNode(entry, byName, containers, hostTypes));
            });
        }

        PruneFailedTemplates(nodes, containers);
        if (_errors.Run("nodes", "hosts", () => AssignHosts(nodes, containers, hostTypes, byName)))
        {
            _errors.Run("nodes", "plugins", () => AssignPlugins(nodes, hostTypes));
        }

        return new JsonArray(nodes.Select(n => (JsonNode?)n).ToArray());
    }

    private JsonObject BuildNode(
        SectionEntry entry, Dictionary<string, SectionEntry> byName, Dictionary<string, string> containers,
        Dictionary<string, bool> hostTypes)
    {
        var name = entry.Name;
        var what = $"node template '{name}'";
        var map = Y.Map(entry.Value, what);
        Y.Keys(map, what, NodeKeys);
        var typeNode = Y.Required(map, "type", what);
        var typeName = Y.String(typeNode, $"type of {what}");
        var type = _nodeTypes.TryGet(typeName)
            ?? throw typeNode.Mark.Error(
                7, $"Could not locate node type: '{typeName}'; existing types: [{string.Join(", ", _nodeTypes.Names.Take(50))}]");
        hostTypes[name] = type.IsA(ComputeType);
        FunctionScanner.ValidateInputReferences(map, _inputNames);

        var properties = Properties(
            map["properties"], type.Properties, name, map.Mark,
            (n, p) => $"'{n}' node '{p}' property is not part of the derived type properties schema",
            (n, p) => $"'{n}' node does not provide a value for mandatory '{p}' property which is part of its type schema");

        var templateInterfaces = TypeResolver.ParseInterfaces(map["interfaces"], $"interfaces of {what}");
        var (interfacesJson, operationsJson) = Cached(
            templateInterfaces.Count == 0 ? "node:" + typeName : null,
            () =>
            {
                var interfaces = MergeInterfacesForTemplate(type.Interfaces, templateInterfaces, what);
                return (Interfaces(interfaces), Operations(interfaces, 10, $"in node '{name}' of type '{typeName}'"));
            });
        var node = new JsonObject
        {
            ["name"] = name,
            ["id"] = name,
            ["type"] = typeName,
            ["type_hierarchy"] = new JsonArray(type.Hierarchy.Select(h => (JsonNode?)h).ToArray()),
            ["properties"] = properties,
            ["interfaces"] = interfacesJson,
            ["operations"] = operationsJson,
        };
        node["relationships"] = Relationships(map["relationships"], name, byName, containers);
        var (instances, scalable) = Scalable(map, name);
        node["instances"] = instances;
        node["capabilities"] = new JsonObject { ["scalable"] = new JsonObject { ["properties"] = scalable } };
        return node;
    }

    /// <summary>
    /// Interfaces and operations depend only on the type when a template adds no operations of its own; they are
    /// computed once per type and copied, which keeps large blueprints linear and cheap.
    /// </summary>

    private (JsonObject Interfaces, JsonObject Operations) Cached(string? key, Func<(JsonObject, JsonObject)> compute)
    {
        if (key is null)
        {
            return compute();
        }

        if (!_operationCache.TryGetValue(key, out var cached))
        {
            // A type's broken operation fails every template that shares it with one recorded error.
            _errors.ThrowIfFailed("operations", key);
            if (!_errors.Run("operations", key, () => cached = compute()))
            {
                _errors.ThrowIfFailed("operations", key);
            }

            _operationCache[key] = cached;
        }

        return ((JsonObject)cached.Interfaces.DeepClone(), (JsonObject)cached.Operations.DeepClone());
    }

    private static Dictionary<string, Dictionary<string, OperationDef>> MergeInterfacesForTemplate(
        Dictionary<string, Dictionary<string, OperationDef>> typeInterfaces,
        List<KeyValuePair<string, List<KeyValuePair<string, OperationDef>>>> templateInterfaces,
        string what)
    {
        var template = new Dictionary<string, Dictionary<string, OperationDef>>(StringComparer.Ordinal);
        foreach (var (iface, ops) in templateInterfaces)
        {
            var dict = new Dictionary<string, OperationDef>(StringComparer.Ordinal);
            foreach (var (op, def) in ops)
            {
                dict[op] = def;
            }

            template[iface] = dict;
        }

        var result = new Dictionary<string, Dictionary<string, OperationDef>>(StringComparer.Ordinal);
        foreach (var (iface, ops) in typeInterfaces)
        {
            template.TryGetValue(iface, out var templateOps);
            var merged = new Dictionary<string, OperationDef>(StringComparer.Ordinal);
            foreach (var (op, def) in ops)
            {
                OperationDef? templateOp = null;
                templateOps?.TryGetValue(op, out templateOp);
                merged[op] = MergeTemplateOperation(def, templateOp, $"operation '{iface}.{op}' of {what}");
            }

            if (templateOps is not null)
            {
                foreach (var (op, def) in templateOps)
                {
                    if (!merged.ContainsKey(op))
                    {
                        merged[op] = MergeTemplateOperation(null, def, what);
                    }
                }
            }

            result[iface] = merged;
        }

        foreach (var (iface, ops) in template)
        {
            if (!result.ContainsKey(iface))
            {
                result[iface] = ops;
            }
        }

        return result;
    }

    private JsonObject Properties(
        YNode? node, Dictionary<string, JsonObject> schema, string owner, Mark fallback,
        Func<string, string, string> undefinedMessage, Func<string, string, string> missingMessage)
    {
        var given = Y.MapOrEmpty(node, $"properties of '{owner}'", fallback);
        foreach (var (key, _) in given.Entries)
        {
            if (!schema.ContainsKey(key.Text))
            {
                throw key.Mark.Error(106, undefinedMessage(owner, key.Text));
            }
        }

        if (given["use_external_resource"] is YMap externalFunction)
        {
            throw externalFunction.Mark.Error(
                219, "Only boolean values are allowed for `use_external_resource` property, don't use intrinsic functions.");
        }

        var external = given["use_external_resource"] is YScalar { Value: true };
        var result = new JsonObject();
        foreach (var (key, propSchema) in schema)
        {
            var propType = IsOfKind(propSchema["type"], JsonValueKind.String) ? propSchema["type"]!.GetValue<string>() : null;
            var valueNode = given[key];
            JsonNode? value;
            if (valueNode is not null)
            {
                value = valueNode.ToJson();
            }
            else if (propSchema.TryGetPropertyValue("default", out var d))
            {
                value = d?.DeepClone();
            }
            else if (propType is not null && _dataTypes.ContainsKey(propType))
            {
                value = new JsonObject();
            }
            else if (IsOfKind(propSchema["required"], JsonValueKind.False) || external)
            {
                continue;
            }
            else
            {
                throw (given.Count > 0 ? given.Mark : fallback).Error(107, missingMessage(owner, key));
            }

            try
            {
                result[key] = propType is not null && !_dataTypes.ContainsKey(propType) && !ValueTyper.IsKnownType(propType, _dataTypes)
                    ? value
                    : ValueTyper.Parse(value, propType, _dataTypes, owner, key, derived: propSchema["default"] as JsonObject);
            }
            catch (DslParseException ex)
            {
                var at = valueNode?.Mark ?? fallback;
                throw at.Error(ex.DslErrorCode, ex.Message);
            }
        }

        return result;
    }
}
