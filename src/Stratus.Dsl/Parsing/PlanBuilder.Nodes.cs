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

    private static readonly string[] RelationshipKeys =
        ["type", "target", "properties", "source_interfaces", "target_interfaces"];

    private JsonObject BuildRelationshipTypes()
    {
        var result = new JsonObject();
        foreach (var name in _relationshipTypes.Names)
        {
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
            result[name] = record;
        }

        return result;
    }

    /// <summary>Property types must name a primitive or a data type; relationship type operations must resolve (error 19).</summary>
    private void ValidateTypeSchemas()
    {
        foreach (var section in new[] { "node_types", "relationships" })
        {
            foreach (var entry in _source.Section(section).Where(e => !e.BuiltIn))
            {
                if (entry.Value is not YMap type || type["properties"] is not YMap properties)
                {
                    continue;
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
        }

        foreach (var entry in _source.Section("relationships").Where(e => !e.BuiltIn))
        {
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
            nodes.Add(BuildNode(entry, byName, containers, hostTypes));
        }

        ValidateLifecycleDependencies(nodes);
        AssignHosts(nodes, containers, hostTypes, byName);
        AssignPlugins(nodes, hostTypes);
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
            (n, p) => $"'{n}' node does not provide a value to mandatory '{p}' property which is part of its type schema");

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
            cached = compute();
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

            if (!byName.ContainsKey(target))
            {
                throw targetNode.Mark.Error(25, $"A relationship instance under node '{nodeName}' of type '{typeName}' references a non existent target node '{target}'");
            }

            if (type.IsA(ContainedIn))
            {
                if (containers.ContainsKey(nodeName))
                {
                    throw typeNode.Mark.Error(
                        112, $"Node '{nodeName}' has more than one relationship that is derived from '{ContainedIn}' relationship.");
                }

                containers[nodeName] = target;
            }

            var properties = Properties(
                map["properties"], type.Properties, nodeName, map.Mark,
                (n, p) => $"'{n}' node relationship '{typeName}' property '{p}' is not part of the relationship type properties schema",
                (n, p) => $"'{n}' node relationship '{typeName}' does not provide a value to mandatory '{p}' property");
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

    private void ValidateLifecycleDependencies(List<JsonObject> nodes)
    {
        const string LifecycleDependency = "cloudify.relationships.depends_on_lifecycle_operation";
        var byId = nodes.ToDictionary(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var rel in node["relationships"]!.AsArray())
            {
                if (!rel!["type_hierarchy"]!.AsArray().Any(t => t!.GetValue<string>() == LifecycleDependency))
                {
                    continue;
                }

                var name = node["id"]!.GetValue<string>();
                var mark = _source.Find("node_templates", name)?.Key.Mark ?? Mark.None;
                var operation = rel["properties"]?["operation"];
                if (operation?.GetValueKind() != JsonValueKind.String)
                {
                    throw mark.Error(215, $"Please define the \"operation\" property of node '{name}''s '{LifecycleDependency}' relationship");
                }

                var target = rel["target_id"]!.GetValue<string>();
                var op = byId[target]["operations"]![$"cloudify.interfaces.lifecycle.{operation.GetValue<string>()}"];
                if (op is null || op["plugin"]!.GetValue<string>().Length == 0)
                {
                    throw mark.Error(
                        216, $"Please define \"{operation.GetValue<string>()}\" operation in the target node \"{target}\" for \"{name}\" node's \"{rel["type"]}\" relationship");
                }
            }
        }
    }

    private static void AssignHosts(
        List<JsonObject> nodes, Dictionary<string, string> containers, Dictionary<string, bool> hostTypes,
        Dictionary<string, SectionEntry> byName)
    {
        var hosts = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? HostOf(string name, int depth)
        {
            if (hosts.TryGetValue(name, out var known))
            {
                return known;
            }

            if (depth > nodes.Count)
            {
                throw byName[name].Key.Mark.Error(100, $"Failed parsing node '{name}': circular contained_in relationships");
            }

            var host = hostTypes[name] ? name : containers.TryGetValue(name, out var container) ? HostOf(container, depth + 1) : null;
            hosts[name] = host;
            return host;
        }

        foreach (var node in nodes)
        {
            var name = node["id"]!.GetValue<string>();
            if (HostOf(name, 0) is { } host)
            {
                node["host_id"] = host;
            }
        }
    }

    private void AssignPlugins(List<JsonObject> nodes, Dictionary<string, bool> hostTypes)
    {
        var byName = nodes.ToDictionary(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var operationSets = nodes.ToDictionary(n => n["id"]!.GetValue<string>(), n => new List<JsonObject> { n["operations"]!.AsObject() }, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var rel in node["relationships"]!.AsArray())
            {
                operationSets[node["id"]!.GetValue<string>()].Add(rel!["source_operations"]!.AsObject());
                operationSets[rel["target_id"]!.GetValue<string>()].Add(rel["target_operations"]!.AsObject());
            }
        }

        foreach (var node in nodes)
        {
            var plugins = new Dictionary<(string, string?), JsonObject>();
            foreach (var ops in operationSets[node["id"]!.GetValue<string>()])
            {
                foreach (var (_, op) in ops)
                {
                    var plugin = op!["plugin"]!.GetValue<string>();
                    if (plugin.Length == 0)
                    {
                        continue;
                    }

                    var executor = op["executor"]?.GetValue<string>();
                    if (!plugins.ContainsKey((plugin, executor)))
                    {
                        var copy = (JsonObject)_plugins[plugin].DeepClone();
                        copy["executor"] = executor;
                        plugins[(plugin, executor)] = copy;
                    }
                }
            }

            node["plugins"] = new JsonArray(plugins.Values.Select(p => (JsonNode?)p).ToArray());
        }

        var hosted = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node["host_id"]?.GetValue<string>() is { } host)
            {
                if (!hosted.TryGetValue(host, out var list))
                {
                    list = [];
                    hosted[host] = list;
                }

                list.Add(node);
            }
            else
            {
                foreach (var plugin in node["plugins"]!.AsArray())
                {
                    if (plugin!["executor"]?.GetValue<string>() == "host_agent")
                    {
                        throw new DslParseException(
                            24, $"node '{node["id"]}' has no relationship which makes it contained within a host and it has a plugin '{plugin["name"]}' with 'host_agent' as an executor. These types of plugins must be installed on a host");
                    }
                }
            }
        }

        foreach (var node in nodes)
        {
            var name = node["id"]!.GetValue<string>();
            if (hostTypes[name])
            {
                var toInstall = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
                foreach (var other in hosted.GetValueOrDefault(name) ?? [])
                {
                    foreach (var plugin in other["plugins"]!.AsArray())
                    {
                        if (plugin!["executor"]?.GetValue<string>() == "host_agent")
                        {
                            toInstall[plugin["name"]!.GetValue<string>()] = plugin.DeepClone();
                        }
                    }
                }

                node["plugins_to_install"] = new JsonArray(toInstall.Values.ToArray());
            }

            var deployment = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var plugin in node["plugins"]!.AsArray())
            {
                if (plugin!["executor"]?.GetValue<string>() == "central_deployment_agent")
                {
                    deployment[plugin["name"]!.GetValue<string>()] = plugin.DeepClone();
                }
            }

            node["deployment_plugins_to_install"] = new JsonArray(deployment.Values.ToArray());
        }

        _ = byName;
    }
}
