using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Stratus.Dsl.Tests;

/// <summary>
/// One folder of Corpus/: blueprint.yaml (+ imports), optional inputs.yaml, plugins/&lt;name&gt;/plugin.yaml,
/// blueprints/&lt;id&gt;/blueprint.yaml, and expected.json (what Cloudify's parser printed, see Corpus/regenerate.sh).
/// </summary>
internal sealed partial class CorpusCase(string name)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public string Name { get; } = name;

    public string Directory => Path.Combine(Root, Name);

    public string BlueprintPath => Path.Combine(Directory, "blueprint.yaml");

    /// <summary>expected.json; Python's bare Infinity/NaN literals (YAML .inf/.nan) read as strings, as JsonDiff shows doubles.</summary>
    public JsonObject Expected =>
        JsonNode.Parse(PythonLiteral().Replace(File.ReadAllText(Path.Combine(Directory, "expected.json")), ": \"$1\""))!.AsObject();

    public static IEnumerable<string> All() =>
        System.IO.Directory.GetDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, "expected.json")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>Case names listed in Corpus/known-differences.md as "- `name`: why".</summary>
    public static HashSet<string> KnownDifferences()
    {
        var path = Path.Combine(Root, "known-differences.md");
        return File.Exists(path)
            ? File.ReadLines(path).Select(l => KnownLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal)
            : [];
    }

    /// <summary>Like the oracle's --plugins: plugin:NAME[?...] is plugins/NAME/plugin.yaml, else the folder's first yaml.</summary>
    public string? ResolvePlugin(string spec)
    {
        var dir = Path.Combine(Directory, "plugins", spec.Split('?', 2)[0].Trim());
        var main = Path.Combine(dir, "plugin.yaml");
        return File.Exists(main) ? main
            : System.IO.Directory.Exists(dir) ? System.IO.Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    /// <summary>A <c>blueprint:&lt;id&gt;</c> import answered from blueprints/&lt;id&gt;.yaml or blueprints/&lt;id&gt;/blueprint.yaml.</summary>
    public string? ResolveBlueprint(string id)
    {
        var flat = Path.Combine(Directory, "blueprints", id + ".yaml");
        var nested = Path.Combine(Directory, "blueprints", id, "blueprint.yaml");
        return File.Exists(flat) ? flat : File.Exists(nested) ? nested : null;
    }

    /// <summary>The case's plan, plugin and blueprint imports answered from its own folders.</summary>
    public JsonObject Parse() =>
        new BlueprintParser { PluginResolver = ResolvePlugin, BlueprintResolver = ResolveBlueprint }
            .Parse(BlueprintPath, TestContext.Current.CancellationToken).Plan;

    /// <summary>inputs.yaml read as PyYAML's safe_load would read plain JSON-like YAML.</summary>
    public JsonObject? Inputs()
    {
        var path = Path.Combine(Directory, "inputs.yaml");
        if (!File.Exists(path))
        {
            return null;
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents.Count == 0 ? [] : ToJson(stream.Documents[0].RootNode) as JsonObject ?? [];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonValue? Plain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => JsonValue.Create(true),
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        // Parsed from JSON text so a float stays a float (4.0 is not an integer) through Stratus's round trip.
        _ when FloatText().IsMatch(text) => JsonNode.Parse(FloatJson(double.Parse(text, CultureInfo.InvariantCulture)))!.AsValue(),
        _ => JsonValue.Create(text),
    };

    private static string FloatJson(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    public override string ToString() => Name;

    [GeneratedRegex(@": (-?Infinity|NaN)(?=,?\n)")]
    private static partial Regex PythonLiteral();

    [GeneratedRegex(@"^\s*-\s*`([^`]+)`")]
    private static partial Regex KnownLine();

    [GeneratedRegex(@"^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")]
    private static partial Regex FloatText();
}
