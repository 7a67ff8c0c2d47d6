using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Server.Secrets;

/// <summary>
/// The JSON-schema subset typed secrets use (Cloudify validates with <c>jsonschema</c>): type, properties, required,
/// additionalProperties, items, enum, min/maxLength, minimum/maximum, and annotations. A schema using any other
/// keyword is refused rather than half-enforced.
/// </summary>
internal static class SecretSchema
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "minLength", "maxLength", "minimum", "maximum",
        "$schema", "$id", "title", "description", "default", "examples",
    };

    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "object", "array", "string", "number", "integer", "boolean", "null" };

    /// <summary>bad_parameters_error when the schema itself is unusable.</summary>
    public static void CheckSchema(JsonObject schema)
    {
        var problem = SchemaProblem(schema);
        if (problem is not null)
        {
            throw StratusException.BadParameters($"Invalid secret JSON schema {schema.ToJsonString()}: {problem}");
        }
    }

    /// <summary>conflict_error, as Cloudify answers a value its schema rejects.</summary>
    public static void Validate(JsonNode? value, JsonObject schema)
    {
        var error = Check(value, schema, "$");
        if (error is not null)
        {
            throw StratusException.Conflict($"Error validating secret value: {error}");
        }
    }

    private static string? SchemaProblem(JsonObject schema)
    {
        foreach (var (keyword, argument) in schema)
        {
            if (!Supported.Contains(keyword))
            {
                return $"keyword `{keyword}` is not supported by this manager";
            }

            var problem = keyword switch
            {
                "type" when !TypeNames(argument).All(t => t is not null && Types.Contains(t)) || !TypeNames(argument).Any() => $"{argument?.ToJsonString()} is not a valid type",
                "properties" when argument is not JsonObject => "properties must be an object",
                "properties" => ((JsonObject)argument).Select(p => p.Value is JsonObject nested ? SchemaProblem(nested) : $"property `{p.Key}` must be a schema").FirstOrDefault(p => p is not null),
                "items" => argument is JsonObject nested ? SchemaProblem(nested) : "items must be a schema",
                "required" when argument is not JsonArray names || names.Any(n => n?.GetValueKind() != JsonValueKind.String) => "required must be a list of names",
                "enum" when argument is not JsonArray => "enum must be a list",
                "additionalProperties" when argument?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) => "additionalProperties must be true or false",
                "minLength" or "maxLength" or "minimum" or "maximum" when argument?.GetValueKind() != JsonValueKind.Number => $"{keyword} must be a number",
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Check(JsonNode? value, JsonObject schema, string path)
    {
        var text = value?.ToJsonString() ?? "null";
        if (schema["type"] is { } type && !TypeNames(type).Any(t => IsType(value, t)))
        {
            return $"{text} is not of type {type.ToJsonString()} (at {path})";
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            return $"{text} is not one of {options.ToJsonString()} (at {path})";
        }

        if (value?.GetValueKind() == JsonValueKind.String)
        {
            var length = value.GetValue<string>().Length;
            if ((schema["minLength"] is { } min && length < min.GetValue<double>()) || (schema["maxLength"] is { } max && length > max.GetValue<double>()))
            {
                return $"the length of the value at {path} is out of range";
            }
        }

        if (value?.GetValueKind() == JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            if ((schema["minimum"] is { } min && number < min.GetValue<double>()) || (schema["maximum"] is { } max && number > max.GetValue<double>()))
            {
                return $"{text} is out of range (at {path})";
            }
        }

        if (value is JsonObject obj)
        {
            foreach (var name in (schema["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()))
            {
                if (!obj.ContainsKey(name))
                {
                    return $"'{name}' is a required property (at {path})";
                }
            }

            var properties = schema["properties"] as JsonObject ?? [];
            foreach (var (name, member) in obj)
            {
                if (properties[name] is JsonObject nested)
                {
                    if (Check(member, nested, $"{path}.{name}") is { } error)
                    {
                        return error;
                    }
                }
                else if (schema["additionalProperties"]?.GetValueKind() == JsonValueKind.False)
                {
                    return $"Additional property '{name}' is not allowed (at {path})";
                }
            }
        }

        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (Check(array[i], items, $"{path}[{i}]") is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static IEnumerable<string?> TypeNames(JsonNode? type) => type switch
    {
        JsonArray list => list.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [null],
    };

    private static bool IsType(JsonNode? value, string? type) => (type, value?.GetValueKind() ?? JsonValueKind.Null) switch
    {
        ("object", JsonValueKind.Object) or ("array", JsonValueKind.Array) or ("string", JsonValueKind.String) => true,
        ("number", JsonValueKind.Number) or ("null", JsonValueKind.Null) => true,
        ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
        ("integer", JsonValueKind.Number) => value!.GetValue<double>() is var d && Math.Floor(d) == d,
        _ => false,
    };
}
