using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stratus.Server.Plugins;

/// <summary>
/// What the upload takes from a plugin's yaml besides the file itself: <c>blueprint_labels</c> and <c>labels</c>
/// (flattened to key → values) and <c>resource_tags</c>, read from the yaml Cloudify picks (the first whose name
/// holds <c>plugin.</c>, else the first).
/// </summary>
internal sealed record PluginYamlExtras(JsonNode? BlueprintLabels, JsonNode? Labels, JsonNode? ResourceTags)
{
    private const int MaxYamlBytes = 10 * 1024 * 1024;

    public static PluginYamlExtras None { get; } = new(null, null, null);

    /// <param name="folder">Where the files are.</param>
    /// <param name="files">Yaml file names, sorted.</param>
    public static PluginYamlExtras Read(string folder, IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            return None;
        }

        var chosen = files.FirstOrDefault(f => f.Contains("plugin.", StringComparison.OrdinalIgnoreCase)) ?? files[0];
        var path = Path.Combine(folder, chosen);
        if (new FileInfo(path).Length > MaxYamlBytes)
        {
            throw StratusException.InvalidPlugin($"The provided plugin's description ({chosen}) can not be read.\nit is larger than {MaxYamlBytes} bytes");
        }

        YamlNode? root;
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException e)
        {
            throw StratusException.InvalidPlugin($"The provided plugin's description ({chosen}) can not be read.\n{e.Message}");
        }

        if (root is not YamlMappingNode map)
        {
            return None;
        }

        return new PluginYamlExtras(FlattenLabels(map, "blueprint_labels"), FlattenLabels(map, "labels"), ToJson(Get(map, "resource_tags")));
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary><c>{key: {values: [..]}}</c> → <c>{key: [..]}</c>; empty stays as given, anything else is refused.</summary>
    private static JsonObject? FlattenLabels(YamlMappingNode map, string key)
    {
        var node = Get(map, key);
        if (node is null || IsNull(node) || node is YamlMappingNode { Children.Count: 0 })
        {
            return null;
        }

        if (node is not YamlMappingNode labels)
        {
            throw InvalidLabels(node);
        }

        var flattened = new JsonObject();
        foreach (var (labelKey, labelValue) in labels.Children)
        {
            if (labelKey is not YamlScalarNode { Value: { } name } || labelValue is not YamlMappingNode entry
                || Get(entry, "values") is not YamlSequenceNode values)
            {
                throw InvalidLabels(node);
            }

            flattened[name] = ToJson(values);
        }

        return flattened;
    }

    private static StratusException InvalidLabels(YamlNode node) =>
        StratusException.InvalidPlugin($"Invalid labels: {ToJson(node)?.ToJsonString() ?? "None"}");

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>YAML to JSON the way a YAML 1.1 safe load types plain scalars (int, float, bool, null).</summary>
    private static JsonNode? ToJson(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    obj[(key as YamlScalarNode)?.Value ?? key.ToString()] = ToJson(value);
                }

                return obj;
            case YamlSequenceNode seq:
                return new JsonArray([.. seq.Children.Select(ToJson)]);
            case YamlScalarNode scalar when scalar.Style != ScalarStyle.Plain:
                return JsonValue.Create(scalar.Value ?? "");
            case YamlScalarNode scalar when IsNull(scalar):
                return null;
            case YamlScalarNode { Value: { } text }:
                if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "on" or "On")
                {
                    return JsonValue.Create(true);
                }

                if (text is "false" or "False" or "FALSE" or "no" or "No" or "off" or "Off")
                {
                    return JsonValue.Create(false);
                }

                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return JsonValue.Create(number);
                }

                if (text.Contains('.', StringComparison.Ordinal)
                    && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                {
                    return JsonValue.Create(real);
                }

                return JsonValue.Create(text);
            default:
                return null;
        }
    }
}
