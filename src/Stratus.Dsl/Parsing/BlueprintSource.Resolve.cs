using System.Text.RegularExpressions;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Where an import's text comes from: the bundled types, an uploaded plugin, or a file of the blueprint.</summary>
internal sealed partial class BlueprintSource
{
    // Loaded once per process: YAML nodes are immutable, so every parse may share the built-in types' trees. Blueprints
    // of cloudify_dsl_1_0 to 1_3 get the types without what 1_4 added, as Cloudify serves them its types_1_3.yaml.
    private static readonly Lazy<YNode?> BuiltInTypesRoot = new(() => LoadBuiltIn("Types.types.yaml"));

    private static readonly Lazy<YNode?> BuiltInTypes13Root = new(() => LoadBuiltIn("Types.types_1_3.yaml"));

    private YNode? BuiltInTypes => Version.AtLeast(1, 4) ? BuiltInTypesRoot.Value : BuiltInTypes13Root.Value;

    private static YNode? LoadBuiltIn(string resourceSuffix)
    {
        var assembly = typeof(BlueprintSource).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(resourceSuffix, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("built-in types resource missing");
        using var reader = new StreamReader(stream);
        return YamlLoader.Load(reader.ReadToEnd(), BuiltInTypesName);
    }

    private (string Key, string? Text, bool BuiltIn) Resolve(YNode importNode, string import, string importingLocation)
    {
        if (import == BuiltInTypesName || SpecTypesUrl().IsMatch(import))
        {
            return ("builtin:" + BuiltInTypesName, null, true);
        }

        if (import.StartsWith(PluginPrefix, StringComparison.Ordinal) && _resolvers.Plugin is { } pluginResolver)
        {
            var spec = import[PluginPrefix.Length..];
            var pluginYaml = pluginResolver(spec);
            if (pluginYaml is null || !File.Exists(pluginYaml))
            {
                throw importNode.Mark.Error(13, $"Import failed: no suitable location found for import '{import}': the plugin is not available");
            }

            // Keyed by the whole import, as Cloudify dedupes imports: the same plugin asked for twice differently is
            // loaded twice (and its definitions conflict).
            return (PluginPrefix + spec.Trim(), File.ReadAllText(pluginYaml), false);
        }

        if (import.StartsWith(PluginPrefix, StringComparison.Ordinal))
        {
            throw importNode.Mark.Error(13, $"Import failed: no suitable location found for import '{import}': plugin imports are not supported");
        }

        string path;
        if (import.StartsWith("file://", StringComparison.Ordinal))
        {
            path = Uri.TryCreate(import, UriKind.Absolute, out var uri) ? uri.LocalPath : import;
        }
        else if (Uri.TryCreate(import, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" or "ftp")
        {
            throw importNode.Mark.Error(13, $"Import failed: Unable to open import url '{import}'; remote imports are not available offline");
        }
        else
        {
            var baseDir = importingLocation.StartsWith("builtin:", StringComparison.Ordinal)
                || importingLocation.StartsWith(PluginPrefix, StringComparison.Ordinal)
                ? BaseDirectory
                : Path.GetDirectoryName(importingLocation)!;
            path = Path.GetFullPath(Path.Combine(baseDir, import));
        }

        var full = Path.GetFullPath(path);
        if (!BlueprintPaths.IsInside(BaseDirectory, full))
        {
            throw importNode.Mark.Error(13, $"Import failed: '{import}' is outside the blueprint directory");
        }

        if (BlueprintPaths.ResolveInside(BaseDirectory, BaseDirectory, full) is null
            && import.StartsWith("plugins/", StringComparison.Ordinal) && import.EndsWith(".yaml", StringComparison.Ordinal)
            && _resolvers.Plugin?.Invoke(import["plugins/".Length..^".yaml".Length]) is { } served && File.Exists(served))
        {
            // The manager's file server also serves uploaded plugins' yaml as resources/plugins/<name>.yaml.
            return (PluginPrefix + import["plugins/".Length..^".yaml".Length], File.ReadAllText(served), false);
        }

        if (BlueprintPaths.ResolveInside(BaseDirectory, BaseDirectory, full) is null)
        {
            throw importNode.Mark.Error(13, $"Import failed: no suitable location found for import '{import}'");
        }

        return (full, File.ReadAllText(full), false);
    }

    [GeneratedRegex(@"^https?://(?:www\.)?(?:getcloudify\.org|cloudify\.co)/spec/cloudify/[^/]+/types\.yaml$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SpecTypesUrl();
}
