using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Server.Http;

/// <summary>Cloudify's renderings of scalars: timestamps, booleans, python-style lists in messages.</summary>
internal static class Wire
{
    public static JsonNode? Timestamp(DateTimeOffset? value) =>
        value is { } v ? JsonValue.Create(Format(v)) : null;

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Parses a boolean the way Cloudify's <c>verify_and_convert_bool</c> does.</summary>
    public static bool ParseBool(string name, JsonNode? value, bool defaultValue)
    {
        if (value is null)
        {
            return defaultValue;
        }

        if (value is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            return b;
        }

        return ParseBool(name, value is JsonValue s && s.TryGetValue<string>(out var text) ? text : value.ToJsonString(), defaultValue);
    }

    public static bool ParseBool(string name, string? text, bool defaultValue)
    {
        if (text is null)
        {
            return defaultValue;
        }

        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw StratusException.BadParameters($"{name} must be <true/false>, got {text}");
    }

    /// <summary>Python's repr of a list of strings, as Cloudify's messages show them.</summary>
    public static string PyList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(i => "'" + i + "'")) + "]";

    public static string? GetString(JsonObject body, string name)
    {
        var node = body[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        throw StratusException.BadParameters($"{name} must be a string");
    }
}
