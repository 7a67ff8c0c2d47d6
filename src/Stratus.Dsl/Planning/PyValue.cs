using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Planning;

/// <summary>
/// Python's comparison semantics on JSON values, which Cloudify's constraint predicates inherit: booleans are
/// numbers, lists compare element by element, and ordering unlike types is a TypeError (null from
/// <see cref="Compare"/>).
/// </summary>
internal static class PyValue
{
    public static string TypeName(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "NoneType",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.String => "str",
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "dict",
        _ => IsInt(value) ? "int" : "float",
    };

    public static bool IsInt(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && (v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _) || IsBigInteger(v));

    private static bool IsBigInteger(JsonValue v)
    {
        var text = v.ToJsonString();
        return text.All(c => char.IsAsciiDigit(c) || c == '-');
    }

    private static bool IsNumeric(JsonNode? value) =>
        value?.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static double Number(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Python's <c>==</c>.</summary>
    public static bool Eq(JsonNode? a, JsonNode? b)
    {
        if (IsNumeric(a) && IsNumeric(b))
        {
            return Number(a!).Equals(Number(b!));
        }

        return (a, b) switch
        {
            (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Eq(p.First, p.Second)),
            (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(kv => y.TryGetPropertyValue(kv.Key, out var other) && Eq(kv.Value, other)),
            _ when a?.GetValueKind() == JsonValueKind.String && b?.GetValueKind() == JsonValueKind.String =>
                string.Equals(a.GetValue<string>(), b.GetValue<string>(), StringComparison.Ordinal),
            _ => (a is null || a.GetValueKind() == JsonValueKind.Null) && (b is null || b.GetValueKind() == JsonValueKind.Null),
        };
    }

    /// <summary>Python's ordering of <paramref name="a"/> against <paramref name="b"/>; null where Python raises TypeError.</summary>
    public static int? Compare(JsonNode? a, JsonNode? b)
    {
        if (IsNumeric(a) && IsNumeric(b))
        {
            return Number(a!).CompareTo(Number(b!));
        }

        if (a?.GetValueKind() == JsonValueKind.String && b?.GetValueKind() == JsonValueKind.String)
        {
            return Math.Sign(string.CompareOrdinal(a.GetValue<string>(), b.GetValue<string>()));
        }

        if (a is JsonArray x && b is JsonArray y)
        {
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!Eq(x[i], y[i]))
                {
                    return Compare(x[i], y[i]);
                }
            }

            return x.Count.CompareTo(y.Count);
        }

        return null;
    }

    /// <summary>Python's <c>len()</c>; null where it raises TypeError.</summary>
    public static long? Length(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().EnumerateRunes().Count(),
        JsonValueKind.Array => value.AsArray().Count,
        JsonValueKind.Object => value.AsObject().Count,
        _ => null,
    };
}
