using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Server.Http;

/// <summary>Cloudify's get_json_and_verify_params: required and optional body fields with a Python type.</summary>
internal static class BodyParams
{
    /// <summary>The field, checked against <paramref name="pythonType"/> (str, dict, list, bool); missing fails.</summary>
    public static JsonNode Required(JsonObject body, string name, string pythonType)
    {
        if (!body.TryGetPropertyValue(name, out var value))
        {
            throw StratusException.BadParameters($"Missing {name} in json request body");
        }

        Check(name, value, pythonType);
        return value!;
    }

    /// <summary>The field when present and not null, checked against <paramref name="pythonType"/>; null otherwise.</summary>
    public static JsonNode? Optional(JsonObject body, string name, string pythonType)
    {
        if (!body.TryGetPropertyValue(name, out var value) || value is null)
        {
            return null;
        }

        Check(name, value, pythonType);
        return value;
    }

    public static string? OptionalString(JsonObject body, string name) => Optional(body, name, "str")?.GetValue<string>();

    public static string RequiredString(JsonObject body, string name) => Required(body, name, "str").GetValue<string>();

    private static void Check(string name, JsonNode? value, string pythonType)
    {
        var actual = TypeName(value);
        if (actual != pythonType)
        {
            throw StratusException.BadParameters($"{name} parameter is expected to be of type {pythonType} but is of type {actual}");
        }
    }

    public static string TypeName(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "NoneType",
        JsonValueKind.Object => "dict",
        JsonValueKind.Array => "list",
        JsonValueKind.String => "str",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => value.ToJsonString().Any(c => c is '.' or 'e' or 'E') ? "float" : "int",
    };
}
