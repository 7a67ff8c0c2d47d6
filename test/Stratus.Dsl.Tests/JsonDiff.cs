using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Compares two JSON values as Python's json.dump(sort_keys=True) would print them; numbers by value.</summary>
internal static class JsonDiff
{
    /// <summary>The first difference as "path: expected X, got Y", or null when equal.</summary>
    public static string? First(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(kv => kv.Key).Union(a.Select(kv => kv.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{path}.{key}";
                    if (!e.ContainsKey(key))
                    {
                        return $"{child}: unexpected key, got {Show(a[key])}";
                    }

                    if (!a.ContainsKey(key))
                    {
                        return $"{child}: missing, expected {Show(e[key])}";
                    }

                    if (First(e[key], a[key], child) is { } diff)
                    {
                        return diff;
                    }
                }

                return null;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    if (First(e[i], a[i], $"{path}[{i}]") is { } diff)
                    {
                        return diff;
                    }
                }

                return e.Count == a.Count ? null : $"{path}: expected {e.Count} items, got {a.Count}: expected {Show(e)}, got {Show(a)}";
            default:
                return Scalar(expected) == Scalar(actual) ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }
    }

    private static string Scalar(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        if (value is JsonObject or JsonArray)
        {
            return value.GetValueKind() + ":" + value.ToJsonString();
        }

        if (value is JsonValue jsonValue && jsonValue.TryGetValue<double>(out var d) && !double.IsFinite(d))
        {
            return JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity").ToJsonString();
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var text = value.ToJsonString();
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? "n:" + (number / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture)
                : "n:" + double.Parse(text, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        }

        return value.ToJsonString();
    }

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 400 ? text[..400] + "..." : text;
    }
}
