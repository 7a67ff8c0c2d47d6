using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>
/// Renders values the way Cloudify's Python side does, because scripts compare the text: <c>json.dumps</c> for JSON
/// (", " and ": " separators, non-ASCII escaped) and <c>str()</c> for the plain <c>ctx</c> output and env vars.
/// </summary>
internal static class PythonFormat
{
    /// <summary>Python's <c>json.dumps(value)</c>.</summary>
    public static string JsonDumps(JsonNode? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, json: true);
        return builder.ToString();
    }

    /// <summary>Python's <c>str(value)</c> for a JSON-decoded value.</summary>
    public static string Str(JsonNode? value) => value switch
    {
        null => "None",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => Repr(value),
    };

    /// <summary>What Cloudify's <c>ctx</c> CLI prints: empty for falsy values, else <c>str(value)</c>.</summary>
    public static string CtxOutput(JsonNode? value) => IsFalsy(value) ? string.Empty : Str(value);

    /// <summary>How Cloudify's script runner turns an operation input into an environment variable.</summary>
    public static string EnvironmentValue(JsonNode? value) => value switch
    {
        JsonObject or JsonArray => JsonDumps(value),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => JsonDumps(value),
        _ => Str(value),
    };

    public static bool IsFalsy(JsonNode? value) => value switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.False or JsonValueKind.Null => true,
            JsonValueKind.Number => v.ToJsonString() is var n && decimal.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == 0,
            _ => false,
        },
        _ => false,
    };

    private static string Repr(JsonNode? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, json: false);
        return builder.ToString();
    }

    /// <summary>Writes a value as a Python literal (<c>repr</c>) or as <c>json.dumps</c> text: same layout, other spellings.</summary>
    private static void Write(StringBuilder builder, JsonNode? value, bool json)
    {
        switch (value)
        {
            case null:
                builder.Append(json ? "null" : "None");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, item) in obj)
                {
                    builder.Append(first ? string.Empty : ", ");
                    first = false;
                    WriteString(builder, key, json);
                    builder.Append(": ");
                    Write(builder, item, json);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    Write(builder, array[i], json);
                }

                builder.Append(']');
                break;
            case JsonValue scalar:
                switch (scalar.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(builder, scalar.GetValue<string>(), json);
                        break;
                    case JsonValueKind.True:
                        builder.Append(json ? "true" : "True");
                        break;
                    case JsonValueKind.False:
                        builder.Append(json ? "false" : "False");
                        break;
                    case JsonValueKind.Null:
                        builder.Append(json ? "null" : "None");
                        break;
                    default:
                        builder.Append(Number(scalar));
                        break;
                }

                break;
        }
    }

    private static void WriteString(StringBuilder builder, string text, bool json)
    {
        if (json)
        {
            WriteJsonString(builder, text);
        }
        else
        {
            WriteReprString(builder, text);
        }
    }

    private static void WriteReprString(StringBuilder builder, string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        builder.Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append(quote);
    }

    private static void WriteJsonString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>Integers print as written; other numbers the way Python prints a float (<c>1.0</c>, <c>1e+20</c>).</summary>
    private static string Number(JsonValue scalar)
    {
        var raw = scalar.ToJsonString();
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            || System.Numerics.BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return raw;
        }

        var number = scalar.GetValue<double>();
        if (double.IsInfinity(number))
        {
            return number > 0 ? "inf" : "-inf";
        }

        var text = number.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            var parts = text.Split('E');
            var exponent = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }

        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}
