using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Commands;

/// <summary>
/// Turns repeated <c>-i</c>/<c>-p</c> values into one JSON object, as <c>cfy</c> accepts them: a YAML or JSON file,
/// an inline JSON object, or <c>key=value[;key2=value2]</c>. A value that reads as JSON (<c>2</c>, <c>true</c>,
/// <c>[1,2]</c>) keeps its type; anything else is a string.
/// </summary>
internal static class InputsParser
{
    public static JsonObject Parse(IEnumerable<string> values, CommandSpec? command = null)
    {
        var result = new JsonObject();
        foreach (var value in values)
        {
            foreach (var (key, node) in ParseOne(value, command))
            {
                result[key] = node?.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject ParseOne(string value, CommandSpec? command)
    {
        if (File.Exists(value))
        {
            var text = File.ReadAllText(value);
            var parsed = value.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ParseJson(text, value) : YamlToJson.Parse(text, value);
            return parsed as JsonObject ?? (parsed is null
                ? []
                : throw new CliException($"{value} must hold a mapping of names to values"));
        }

        if (value.TrimStart().StartsWith('{'))
        {
            return ParseJson(value, "inline JSON") as JsonObject ?? throw new CliException("inline inputs must be a JSON object");
        }

        var result = new JsonObject();
        foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException(
                    $"'{value}' is neither key=value, a JSON object, nor an existing YAML/JSON file", command);
            }

            result[pair[..equals].Trim()] = Scalar(pair[(equals + 1)..]);
        }

        return result;
    }

    internal static JsonNode? Scalar(string text)
    {
        if (text.Length == 0)
        {
            return JsonValue.Create("");
        }

        var first = text[0];
        var looksJson = first is '[' or '{' or '"' or '-' || char.IsAsciiDigit(first) || text is "true" or "false" or "null";
        if (looksJson)
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON after all (e.g. "1.2.3" or "-x"): keep it as the string the user typed.
            }
        }

        return JsonValue.Create(text);
    }

    private static JsonNode? ParseJson(string text, string origin)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException($"{origin} is not valid JSON: {e.Message}");
        }
    }
}
