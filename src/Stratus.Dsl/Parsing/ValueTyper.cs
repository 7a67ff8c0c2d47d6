using System.Text.Json;
using System.Text.Json.Nodes;
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
        JsonObject? derived = null)
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
                return FillDataType(obj, type, dataTypes, owner, path, depth, derived);
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

    public static Dictionary<string, JsonObject> DataTypeSchema(string type, IReadOnlyDictionary<string, JsonObject> dataTypes)
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
                    schema[name] = schema.TryGetValue(name, out var inherited) ? MergePropertySchema(inherited, own) : own;
                }
            }
        }

        return schema;
    }

    private static JsonObject FillDataType(
        JsonObject value, string typeName, IReadOnlyDictionary<string, JsonObject> dataTypes, string owner, string path, int depth,
        JsonObject? derived)
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
                defaults[key] = defaults.TryGetValue(key, out var own) && own is JsonObject ownObject && item is JsonObject itemObject
                    ? DeepMerge(ownObject, itemObject)
                    : item;
            }
        }

        var result = new JsonObject();
        foreach (var (key, propSchema) in schema)
        {
            var propType = propSchema["type"]?.GetValueKind() == JsonValueKind.String ? propSchema["type"]!.GetValue<string>() : null;
            defaults.TryGetValue(key, out var nestedDefault);
            if (value.TryGetPropertyValue(key, out var given))
            {
                result[key] = Parse(given?.DeepClone(), propType, dataTypes, owner, $"{path}.{key}", depth + 1, nestedDefault as JsonObject);
            }
            else if (defaults.ContainsKey(key))
            {
                result[key] = Parse(nestedDefault?.DeepClone(), propType, dataTypes, owner, $"{path}.{key}", depth + 1, nestedDefault as JsonObject);
            }
            else if (propType is not null && dataTypes.ContainsKey(propType))
            {
                // Like Cloudify, a data-typed property always has a default: its type's own defaults.
                result[key] = Parse(new JsonObject(), propType, dataTypes, owner, $"{path}.{key}", depth + 1);
            }
            else if (propSchema["required"]?.GetValueKind() != JsonValueKind.False)
            {
                throw new DslParseException(107, $"Value of property '{path}.{key}' of data type '{typeName}' is missing in '{owner}'");
            }
        }

        return result;
    }

    /// <summary>A copy of <paramref name="under"/> with <paramref name="over"/> laid on top, recursively for objects.</summary>
    internal static JsonObject DeepMerge(JsonObject under, JsonObject over)
    {
        var result = (JsonObject)under.DeepClone();
        foreach (var (key, item) in over)
        {
            result[key] = result[key] is JsonObject a && item is JsonObject b ? DeepMerge(a, b) : item?.DeepClone();
        }

        return result;
    }

    /// <summary>
    /// A property redeclared by a derived type keeps what it does not restate from its parent's declaration, and
    /// object defaults merge deeply (the derived type's values win).
    /// </summary>
    internal static JsonObject MergePropertySchema(JsonObject inherited, JsonObject own)
    {
        var result = (JsonObject)inherited.DeepClone();
        foreach (var (key, item) in own)
        {
            result[key] = key == "default" && result[key] is JsonObject a && item is JsonObject b ? DeepMerge(a, b) : item?.DeepClone();
        }

        return result;
    }
}
