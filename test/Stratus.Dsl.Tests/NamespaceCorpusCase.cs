using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>
/// One folder of Corpus/: blueprint.yaml, optional inputs.yaml, blueprints/&lt;id&gt;/blueprint.yaml for
/// <c>blueprint:</c> imports, plugins/&lt;name&gt;/plugin.yaml for <c>plugin:</c> imports, and expected.json from Cloudify's parser.
/// </summary>
internal sealed class NamespaceCorpusCase(string name)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public string Directory { get; } = Path.Combine(Root, name);

    public JsonObject Expected => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json")))!.AsObject();

    /// <summary>The deployment inputs; the corpus keeps them flat (<c>name: scalar</c> per line).</summary>
    public JsonObject? Inputs
    {
        get
        {
            var path = Path.Combine(Directory, "inputs.yaml");
            if (!File.Exists(path))
            {
                return null;
            }

            var inputs = new JsonObject();
            foreach (var line in File.ReadLines(path).Where(l => l.Contains(':', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')))
            {
                var (key, value) = (line[..line.IndexOf(':', StringComparison.Ordinal)].Trim(), line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                inputs[key] = long.TryParse(value, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
            }

            return inputs;
        }
    }

    public JsonObject Parse()
    {
        var parser = new BlueprintParser { BlueprintResolver = ResolveBlueprint, PluginResolver = ResolvePlugin };
        return parser.Parse(Path.Combine(Directory, "blueprint.yaml"), TestContext.Current.CancellationToken).Plan;
    }

    private string? ResolvePlugin(string spec)
    {
        var path = Path.Combine(Directory, "plugins", spec.Split('?', 2)[0], "plugin.yaml");
        return File.Exists(path) ? path : null;
    }

    private string? ResolveBlueprint(string id)
    {
        var candidates = new[]
        {
            Path.Combine(Directory, "blueprints", id + ".yaml"),
            Path.Combine(Directory, "blueprints", id, "blueprint.yaml"),
        };
        return candidates.FirstOrDefault(File.Exists);
    }
}
