using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>Python's <c>str()</c>/<c>repr()</c> of JSON values, which Cloudify's messages and <c>concat</c> produce.</summary>
internal static class Python
{
    public static string Str(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "None",
        JsonValueKind.String => value.GetValue<string>(),
        _ => Repr(value),
    };

    /// <summary>Python's <c>type(value).__name__</c>.</summary>
    public static string TypeName(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "NoneType",
        JsonValueKind.String => "str",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => value is JsonValue v && v.TryGetValue<long>(out _) ? "int" : "float",
        JsonValueKind.Array => "list",
        _ => "dict",
    };

    public static string Repr(JsonNode? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? value)
    {
        switch (value?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                sb.Append("None");
                break;
            case JsonValueKind.True:
                sb.Append("True");
                break;
            case JsonValueKind.False:
                sb.Append("False");
                break;
            case JsonValueKind.String:
                sb.Append('\'').Append(value.GetValue<string>().Replace("'", "\\'", StringComparison.Ordinal)).Append('\'');
                break;
            case JsonValueKind.Number:
                sb.Append(Number(value));
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in value.AsArray())
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.Object:
                sb.Append('{');
                var firstKey = true;
                foreach (var (key, item) in value.AsObject())
                {
                    if (!firstKey)
                    {
                        sb.Append(", ");
                    }

                    firstKey = false;
                    sb.Append('\'').Append(key).Append("': ");
                    Write(sb, item);
                }

                sb.Append('}');
                break;
            default:
                sb.Append(value.ToJsonString());
                break;
        }
    }

    private static string Number(JsonNode value)
    {
        var v = value.AsValue();
        if (v.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i.ToString(CultureInfo.InvariantCulture);
        }

        var d = v.GetValue<double>();
        if (double.IsPositiveInfinity(d))
        {
            return "inf";
        }

        if (double.IsNegativeInfinity(d))
        {
            return "-inf";
        }

        if (double.IsNaN(d))
        {
            return "nan";
        }

        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s.Replace("E", "e", StringComparison.Ordinal) : s + ".0";
    }
}
