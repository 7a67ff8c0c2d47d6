using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Resolves a section of types (node_types or relationships) along <c>derived_from</c>, memoized.</summary>
internal sealed class TypeResolver
{
    private static readonly string[] NodeTypeKeys = ["derived_from", "properties", "interfaces", "runtime_properties", "description", "metadata"];
    private static readonly string[] RelationshipKeys = ["derived_from", "properties", "source_interfaces", "target_interfaces", "description", "metadata"];
    private static readonly string[] PropertyKeys = ["type", "default", "description", "required", "display_label", "hidden", "constraints", "item_type", "display"];

    private readonly Dictionary<string, SectionEntry> _entries;
    private readonly Dictionary<string, ResolvedType> _resolved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DslParseException> _failures = new(StringComparer.Ordinal);
    private readonly bool _relationships;
    private readonly string _kind;

    private readonly IReadOnlyDictionary<string, JsonObject> _dataTypes;

    /// <param name="dataTypes">The blueprint's data types; read lazily, when a type is first resolved.</param>
    public TypeResolver(IReadOnlyList<SectionEntry> entries, bool relationships, IReadOnlyDictionary<string, JsonObject> dataTypes)
    {
        _dataTypes = dataTypes;
        _entries = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _relationships = relationships;
        _kind = relationships ? "relationship" : "node type";
    }

    public IEnumerable<string> Names => _entries.Keys;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public ResolvedType? TryGet(string name) => _entries.ContainsKey(name) ? Get(name) : null;

    public ResolvedType Get(string name)
    {
        if (_resolved.TryGetValue(name, out var done))
        {
            return done;
        }

        if (_failures.TryGetValue(name, out var failure))
        {
            throw failure;
        }

        var entry = _entries[name];
        if (!_resolving.Add(name))
        {
            throw entry.Key.Mark.Error(100, $"Failed parsing {_kind} '{name}': circular dependency in derived_from");
        }

        try
        {
            return Resolve(name, entry);
        }
        catch (DslParseException e)
        {
            // The same instance for every later lookup, so an error collector reports a broken type once.
            _failures[name] = e;
            _resolving.Remove(name);
            throw;
        }
    }

    private ResolvedType Resolve(string name, SectionEntry entry)
    {
        var map = Y.MapOrEmpty(entry.Value, $"{_kind} '{name}'", entry.Key.Mark);
        Y.Keys(map, $"{_kind} '{name}'", _relationships ? RelationshipKeys : NodeTypeKeys);
        var derivedFromNode = map["derived_from"];
        ResolvedType? parent = null;
        string? derivedFrom = null;
        if (derivedFromNode is not null and not YScalar { IsNull: true })
        {
            derivedFrom = Y.String(derivedFromNode, $"derived_from of {_kind} '{name}'");
            if (!_entries.ContainsKey(derivedFrom))
            {
                throw derivedFromNode.Mark.Error(
                    103, $"Missing definition for type '{derivedFrom}' which is declared as derived by type '{name}'");
            }

            parent = Get(derivedFrom);
        }

        var hierarchy = parent is null ? new List<string>() : [.. parent.Hierarchy];
        hierarchy.Add(name);
        var properties = parent is null
            ? new Dictionary<string, JsonObject>(StringComparer.Ordinal)
            : new Dictionary<string, JsonObject>(parent.Properties, StringComparer.Ordinal);
        foreach (var (key, declared) in ParseSchema(map["properties"], $"properties of {_kind} '{name}'", map.Mark))
        {
            // Merged with the parent's declaration as written, then its default filled from its data type.
            var merged = properties.TryGetValue(key, out var inherited) ? ValueTyper.MergePropertySchema(inherited, declared, _dataTypes) : declared;
            properties[key] = ValueTyper.FillSchemaDefault(merged, _dataTypes);
        }

        var interfacesKey = _relationships ? "source_interfaces" : "interfaces";
        var resolved = new ResolvedType
        {
            Name = name,
            DerivedFrom = derivedFrom,
            Hierarchy = hierarchy,
            Properties = properties,
            Interfaces = MergeInterfaces(parent?.Interfaces, map[interfacesKey], $"{interfacesKey} of {_kind} '{name}'"),
            TargetInterfaces = _relationships
                ? MergeInterfaces(parent?.TargetInterfaces, map["target_interfaces"], $"target_interfaces of {_kind} '{name}'")
                : [],
            Mark = entry.Key.Mark,
        };
        _resolving.Remove(name);
        _resolved[name] = resolved;
        return resolved;
    }

    public static List<KeyValuePair<string, JsonObject>> ParseSchema(YNode? node, string what, Mark fallback)
    {
        var result = new List<KeyValuePair<string, JsonObject>>();
        foreach (var (key, value) in Y.MapOrEmpty(node, what, fallback).Entries)
        {
            var schema = Y.MapOrEmpty(value, $"property '{key.Text}' of {what}", key.Mark);
            Y.Keys(schema, $"property '{key.Text}' of {what}", PropertyKeys);
            if (schema["required"] is { } required and not YScalar { Value: bool })
            {
                throw required.Mark.Error(1, $"Expected bool value for 'required' of property '{key.Text}' but found {required.KindName}");
            }

            result.Add(new(key.Text, (JsonObject)schema.ToJson()!));
        }

        return result;
    }

    public static Dictionary<string, Dictionary<string, OperationDef>> MergeInterfaces(
        Dictionary<string, Dictionary<string, OperationDef>>? parent, YNode? node, string what)
    {
        var result = new Dictionary<string, Dictionary<string, OperationDef>>(StringComparer.Ordinal);
        if (parent is not null)
        {
            foreach (var (iface, ops) in parent)
            {
                result[iface] = new Dictionary<string, OperationDef>(ops, StringComparer.Ordinal);
            }
        }

        foreach (var (iface, ops) in ParseInterfaces(node, what))
        {
            if (!result.TryGetValue(iface, out var target))
            {
                target = new Dictionary<string, OperationDef>(StringComparer.Ordinal);
                result[iface] = target;
            }

            foreach (var (op, def) in ops)
            {
                target[op] = def;
            }
        }

        return result;
    }

    public static List<KeyValuePair<string, List<KeyValuePair<string, OperationDef>>>> ParseInterfaces(YNode? node, string what)
    {
        var result = new List<KeyValuePair<string, List<KeyValuePair<string, OperationDef>>>>();
        if (node is null)
        {
            return result;
        }

        foreach (var (ifaceKey, ifaceValue) in Y.MapOrEmpty(node, what, node.Mark).Entries)
        {
            var ops = new List<KeyValuePair<string, OperationDef>>();
            foreach (var (opKey, opValue) in Y.MapOrEmpty(ifaceValue, $"interface '{ifaceKey.Text}'", ifaceKey.Mark).Entries)
            {
                ops.Add(new(opKey.Text, OperationDef.Parse(opValue, $"operation '{ifaceKey.Text}.{opKey.Text}'")));
            }

            result.Add(new(ifaceKey.Text, ops));
        }

        return result;
    }
}
