using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Parsing;

namespace Stratus.Dsl.Planning;

/// <summary>
/// Cloudify's <c>utils.parse_value</c> as used for deployment inputs (type check, data-type schema with nested
/// defaults, the input wording of its messages) and <c>utils.cast_to_type</c> for auto_correct_types.
/// </summary>
internal static class InputTypes
{
    /// <summary>A type check failure: DSL error 105 (type mismatch), 106 (undefined property) or 107 (missing property).</summary>
    internal sealed class TypeError(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    public static JsonNode? Parse(
        JsonNode? value, string? type, IReadOnlyDictionary<string, JsonObject> dataTypes, string input, List<string> path, JsonNode? derived = null)
    {
        if (type is null || IntrinsicFunctions.IsFunction(value))
        {
            return value;
        }

        if (Array.IndexOf(ValueTyper.PrimitiveTypes, type) >= 0)
        {
            if (ValueTyper.MatchesPrimitive(value, type))
            {
                return value;
            }
        }
        else if (dataTypes.ContainsKey(type))
        {
            if (value is JsonObject given)
            {
                var schema = Schema(type, dataTypes);
                var flattened = Flatten(schema);
                if (derived is JsonObject derivedObject)
                {
                    foreach (var (key, item) in derivedObject)
                    {
                        flattened[key] = item;
                    }
                }

                return Merge(given, schema, flattened, dataTypes, input, path);
            }
        }
        else
        {
            throw new TypeError(0, $"Unexpected type defined in property schema for property '{string.Join('.', path)}' - unknown type is '{type}'");
        }

        var message = path.Count == 0
            ? $"Property type validation failed in '{input}': the defined type is '{type}', yet it was assigned with the value '{Python.Str(value)}'"
            : $"Property type validation failed in '{input}': property '{string.Join('.', path)}' type is '{type}', yet it was assigned with the value '{Python.Str(value)}'";
        throw new TypeError(105, message);
    }

    private static JsonObject Merge(
        JsonObject given, Dictionary<string, JsonObject> schema, Dictionary<string, JsonNode?> flattened,
        IReadOnlyDictionary<string, JsonObject> dataTypes, string input, List<string> path)
    {
        foreach (var (key, _) in given)
        {
            if (!schema.ContainsKey(key))
            {
                throw new TypeError(106, $"Undefined property {string.Join('.', path.Append(key))} in value of input {input}.");
            }
        }

        var merged = new Dictionary<string, JsonNode?>(flattened, StringComparer.Ordinal);
        foreach (var (key, item) in given)
        {
            merged[key] = item;
        }

        var result = new JsonObject();
        foreach (var (key, propertySchema) in schema)
        {
            if (!merged.TryGetValue(key, out var item))
            {
                if (propertySchema["required"]?.GetValueKind() != JsonValueKind.False)
                {
                    throw new TypeError(107, $"Value of input {input} is missing property {string.Join('.', path.Append(key))}.");
                }

                continue;
            }

            var propertyType = propertySchema["type"]?.GetValueKind() == JsonValueKind.String ? propertySchema["type"]!.GetValue<string>() : null;
            result[key] = Parse(item?.DeepClone(), propertyType, dataTypes, input, [.. path, key], flattened.GetValueOrDefault(key));
        }

        return result;
    }

    /// <summary>The data type's properties, its own first and then those it inherits (as Cloudify's plan lists them).</summary>
    private static Dictionary<string, JsonObject> Schema(string type, IReadOnlyDictionary<string, JsonObject> dataTypes)
    {
        var schema = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chain = new List<JsonObject>();
        for (var current = type; current is not null && dataTypes.TryGetValue(current, out var dataType) && seen.Add(current);)
        {
            chain.Add(dataType);
            current = dataType["derived_from"]?.GetValueKind() == JsonValueKind.String ? dataType["derived_from"]!.GetValue<string>() : null;
        }

        var merged = ValueTyper.DataTypeSchema(type, dataTypes);
        foreach (var dataType in chain)
        {
            foreach (var (key, _) in dataType["properties"] as JsonObject ?? [])
            {
                schema.TryAdd(key, merged[key]);
            }
        }

        return schema;
    }

    private static Dictionary<string, JsonNode?> Flatten(Dictionary<string, JsonObject> schema)
    {
        var flattened = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, propertySchema) in schema)
        {
            if (propertySchema.TryGetPropertyValue("default", out var value))
            {
                flattened[key] = value;
            }
        }

        return flattened;
    }

    /// <summary>Cloudify's <c>cast_to_type</c>: only strings change, and only to integer, float or boolean.</summary>
    public static JsonNode? Cast(JsonNode? value, string? type)
    {
        if (value?.GetValueKind() != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetValue<string>();
        switch (type)
        {
            case "integer" when ParseInt(text) is { } integer:
                return JsonNode.Parse(integer.ToString(CultureInfo.InvariantCulture));
            case "float" when ParseFloat(text) is { } number && double.IsFinite(number):
                // Python keeps a float a float ("3" -> 3.0); the text form carries that through JSON.
                return JsonNode.Parse(Python.Repr(JsonValue.Create(number)));
            case "boolean" when text is "true" or "false":
                return text == "true";
            default:
                return value;
        }
    }

    /// <summary>Python's <c>int(str)</c>: surrounding whitespace, a sign, digits with single underscores between them.</summary>
    private static BigInteger? ParseInt(string text)
    {
        var s = text.Trim();
        var sign = 1;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }

        if (!IsDigitGroups(s))
        {
            return null;
        }

        return sign * BigInteger.Parse(s.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private static bool IsDigitGroups(string s) =>
        s.Length > 0 && char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[^1])
        && s.All(c => char.IsAsciiDigit(c) || c == '_') && !s.Contains("__", StringComparison.Ordinal);

    /// <summary>Python's <c>float(str)</c>: decimal or exponent forms, underscores between digits, inf and nan.</summary>
    private static double? ParseFloat(string text)
    {
        var s = text.Trim();
        var body = s.TrimStart('+', '-');
        if (s.Length - body.Length > 1)
        {
            return null;
        }

        var lower = body.ToLowerInvariant();
        if (lower is "inf" or "infinity" or "nan")
        {
            return double.NaN;
        }

        if (body.Contains('_', StringComparison.Ordinal))
        {
            // Each underscore must sit between two digits.
            for (var i = 0; i < body.Length; i++)
            {
                if (body[i] == '_' && (i == 0 || i == body.Length - 1 || !char.IsAsciiDigit(body[i - 1]) || !char.IsAsciiDigit(body[i + 1])))
                {
                    return null;
                }
            }

            s = s.Replace("_", string.Empty, StringComparison.Ordinal);
        }

        if (s.Any(c => !(char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E')))
        {
            return null;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
