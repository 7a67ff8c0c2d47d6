using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Workflows.Lifecycle;

/// <summary>Python's <c>repr</c> of JSON values, for messages Cloudify formats from Python dicts.</summary>
internal static class PythonRepr
{
    public static string Of(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("None");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "" : ", ");
                    first = false;
                    Quote(text, key);
                    text.Append(": ");
                    Write(text, value);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Write(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        Quote(text, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        text.Append("True");
                        break;
                    case JsonValueKind.False:
                        text.Append("False");
                        break;
                    default:
                        text.Append(value.ToJsonString());
                        break;
                }

                break;
        }
    }

    private static void Quote(StringBuilder text, string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        text.Append(quote);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\t' => text.Append(@"\t"),
                _ when c == quote => text.Append('\\').Append(c),
                _ when c < ' ' => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => text.Append(c),
            };
        }

        text.Append(quote);
    }
}
