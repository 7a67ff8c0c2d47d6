using System.Text.Json;
using System.Text.Json.Nodes;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Stratus.Dsl.Parsing;

/// <summary>Validates a value against a property/input type (primitive or data type) and fills data-type defaults.</summary>
internal static partial class ValueTyper
{
    public static readonly string[] PrimitiveTypes =
    [
        "string", "integer", "float", "boolean", "list", "dict", "regex", "textarea", "blueprint_id", "deployment_id",
        "capability_value", "scaling_group", "node_id", "node_type", "node_instance", "secret_key", "operation_name",
    ];

    public static bool IsKnownType(string type, IReadOnlyDictionary<string, JsonObject> dataTypes) =>
        Array.IndexOf(PrimitiveTypes, type) >= 0 || dataTypes.ContainsKey(type);

    /// <summary>True when the value has the primitive type (Cloudify's parse_simple_type_value).</summary>
    public static bool MatchesPrimitive(JsonNode? value, string type)
    {
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        return type switch
        {
            "integer" => kind == JsonValueKind.Number && IsIntegral(value!),
            "float" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "list" => kind == JsonValueKind.Array,
            "dict" => kind == JsonValueKind.Object,
            "regex" => kind == JsonValueKind.String && IsRegex(value!.GetValue<string>()),
            _ => true,
        };
    }

    public static bool IsIntegral(JsonNode value) =>
        value is JsonValue v && (v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _));

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Checks <paramref name="value"/> against <paramref name="type"/>; returns the value with data-type defaults filled.</summary>
    public static JsonNode? Parse(
        JsonNode? value, string? type, IReadOnlyDictionary<string, JsonObject> dataTypes, string owner, string path, int depth = 0,
        JsonObject? derived = null, bool lenient = false)
    {
        if (type is null || IntrinsicFunctions.IsFunction(value))
        {
            return value;
        }

        if (Array.IndexOf(PrimitiveTypes, type) >= 0)
        {
            if (MatchesPrimitive(value, type))
            {
                return value;
            }
        }
        else if (dataTypes.TryGetValue(type, out var dataType))
        {
            if (value is JsonObject obj && depth < 32)
            {
                _ = dataType;
                return FillDataType(obj, type, dataTypes, owner, path, depth, derived, lenient);
            }
        }
        else
        {
            throw new DslParseException(103, $"Illegal type name '{type}' for '{path}' in '{owner}'");
        }

        throw new DslParseException(
            105,
            $"Property type validation failed in '{owner}': property '{path}' type is '{type}', yet it was assigned with the value '{Python.Str(value)}'");
    }

    // Filled schemas per set of data types (one parse or one deployment plan); null while one is being computed, so
    // a data type that contains itself is filled only once.
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<string, JsonObject>, Dictionary<string, Dictionary<string, JsonObject>?>> Schemas = [];

    /// <summary>
    /// The properties of a data type with those of its ancestors, each default filled from its own data type as
    /// Cloudify fills them where they are declared (a data-typed property without a default gets the filled <c>{}</c>).
    /// The result is shared: callers copy before changing it.
    /// </summary>
    public static Dictionary<string, JsonObject> DataTypeSchema(string type, IReadOnlyDictionary<string, JsonObject> dataTypes)
    {
        var cache = Schemas.GetValue(dataTypes, _ => new Dictionary<string, Dictionary<string, JsonObject>?>(StringComparer.Ordinal));
        lock (cache)
        {
            if (cache.TryGetValue(type, out var known))
            {
                return known ?? RawSchema(type, dataTypes, fill: false);
            }

            cache[type] = null;
        }

        var schema = RawSchema(type, dataTypes, fill: true);
        lock (cache)
        {
            cache[type] = schema;
        }

        return schema;
    }

    private static Dictionary<string, JsonObject> RawSchema(string type, IReadOnlyDictionary<string, JsonObject> dataTypes, bool fill)
    {
        var chain = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = type;
        while (current is not null && dataTypes.TryGetValue(current, out var dt) && seen.Add(current))
        {
            chain.Add(dt);
            current = dt["derived_from"]?.GetValueKind() == JsonValueKind.String ? dt["derived_from"]!.GetValue<string>() : null;
        }

        var schema = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (chain[i]["properties"] is JsonObject props)
            {
                foreach (var (name, prop) in props)
                {
                    var own = prop as JsonObject ?? [];
                    var merged = schema.TryGetValue(name, out var inherited) ? MergePropertySchema(inherited, own, dataTypes) : own;
                    schema[name] = fill ? FillSchemaDefault(merged, dataTypes) : merged;
                }
            }
        }

        return schema;
    }

    /// <summary>
    /// A property declaration whose default is filled from its data type (missing required values left out), and a
    /// data-typed property without a default given the filled <c>{}</c>, as Cloudify parses a schema property's default.
    /// A default that does not fit is left as written, to be reported where the property is used.
    /// </summary>
    public static JsonObject FillSchemaDefault(JsonObject property, IReadOnlyDictionary<string, JsonObject> dataTypes)
    {
        if (property["type"] is not JsonValue t || !t.TryGetValue<string>(out var type) || !dataTypes.ContainsKey(type))
        {
            return property;
        }

        var initial = property["default"];
        if (initial is not (null or JsonObject))
        {
            return property;
        }

        try
        {
            var filled = (JsonObject)property.DeepClone();
            filled["default"] = Parse(initial?.DeepClone() ?? new JsonObject(), type, dataTypes, type, type, lenient: true);
            return filled;
        }
        catch (DslParseException)
        {
            return property;
        }
    }

    private static JsonObject FillDataType(
        JsonObject value, string typeName, IReadOnlyDictionary<string, JsonObject> dataTypes, string owner, string path, int depth,
        JsonObject? derived, bool lenient)
    {
        var schema = DataTypeSchema(typeName, dataTypes);
        foreach (var (key, _) in value)
        {
            if (!schema.ContainsKey(key))
            {
                throw new DslParseException(106, $"Undefined property '{path}.{key}' of data type '{typeName}' in '{owner}'");
            }
        }

        // Effective defaults at this level: the data type's own, overridden by the enclosing declared default.
        var defaults = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, propSchema) in schema)
        {
            if (propSchema.TryGetPropertyValue("default", out var d))
            {
                defaults[key] = d;
            }
        }

        if (derived is not null)
        {
            foreach (var (key, item) in derived)
            {
                // The enclosing default replaces the data type's own for that key (nested data types still fill in below).
                defaults[key] = item;
            }
        }

        var result = new JsonObject();
        foreach (var (key, propSchema) in schema)
        {
            var propType = propSchema["type"]?.GetValueKind() == JsonValueKind.String ? propSchema["type"]!.GetValue<string>() : null;
            defaults.TryGetValue(key, out var nestedDefault);
            if (value.TryGetPropertyValue(key, out var given))
            {
                result[key] = Parse(given?.DeepClone(), propType, dataTypes, owner, $"{path}.{key}", depth + 1, nestedDefault as JsonObject, lenient);
            }
            else if (defaults.ContainsKey(key))
            {
                result[key] = Parse(nestedDefault?.DeepClone(), propType, dataTypes, owner, $"{path}.{key}", depth + 1, nestedDefault as JsonObject, lenient);
            }
            else if (!lenient && propSchema["required"]?.GetValueKind() != JsonValueKind.False)
            {
                throw new DslParseException(107, $"Value of property '{path}.{key}' of data type '{typeName}' is missing in '{owner}'");
            }
        }

        return result;
    }

    /// <summary>
    /// A property redeclared by a derived type replaces its parent's declaration (Cloudify's merge_schemas); only when
    /// both declare the same data type and the parent has a default does the new default lay its values over the
    /// parent's, filled from the data type.
    /// </summary>
    internal static JsonObject MergePropertySchema(JsonObject inherited, JsonObject own, IReadOnlyDictionary<string, JsonObject> dataTypes)
    {
        var result = (JsonObject)own.DeepClone();
        var type = own["type"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
        if (type is null || !dataTypes.ContainsKey(type) || inherited["type"] is not JsonValue parentType
            || !parentType.TryGetValue<string>(out var parentName) || parentName != type
            || inherited["default"] is not { } parentDefault)
        {
            return result;
        }

        try
        {
            var merged = Parse(
                own["default"]?.DeepClone() ?? new JsonObject(), type, dataTypes, type, type, derived: parentDefault as JsonObject, lenient: true);
            if (merged is JsonObject { Count: > 0 })
            {
                result["default"] = merged;
            }
        }
        catch (DslParseException)
        {
            // A default that does not fit its data type is reported where the property is used.
        }

        return result;
    }
}
