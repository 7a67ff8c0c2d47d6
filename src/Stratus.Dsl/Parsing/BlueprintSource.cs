using System.Reflection;
using System.Text.RegularExpressions;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// The main blueprint file with all its imports loaded and merged, section by section (Cloudify's import merge:
/// named items of dict sections are combined, a name defined twice is a conflict).
/// </summary>
internal sealed partial class BlueprintSource
{
    public const string BuiltInTypesName = "cloudify/types/types.yaml";

    private static readonly string[] TopLevelKeys =
    [
        "tosca_definitions_version", "description", "imports", "dsl_definitions", "metadata", "inputs", "plugins",
        "node_types", "relationships", "node_templates", "policy_types", "policy_triggers", "groups", "policies",
        "workflows", "outputs", "data_types", "capabilities", "imported_blueprints", "namespaces_mapping", "labels",
        "blueprint_labels", "deployment_settings", "resource_tags",
    ];

    private static readonly string[] DictSections =
    [
        "inputs", "plugins", "node_types", "relationships", "node_templates", "policy_types", "policy_triggers",
        "groups", "policies", "workflows", "outputs", "data_types", "capabilities", "labels", "blueprint_labels",
        "resource_tags",
    ];

    /// <summary>Sections that several files may define only from cloudify_dsl_1_3 on (error 3 before).</summary>
    private static readonly string[] MergeableFrom13 =
        ["inputs", "outputs", "node_templates", "capabilities", "blueprint_labels", "labels", "resource_tags"];

    private static readonly Lazy<string> BuiltInTypesText = new(() =>
    {
        var assembly = typeof(BlueprintSource).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Types.types.yaml", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("built-in types resource missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private readonly Dictionary<string, List<SectionEntry>> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, SectionEntry>> _index = new(StringComparer.Ordinal);

    private readonly Func<string, string?>? _pluginResolver;
    private readonly HashSet<string> _pluginFiles = new(StringComparer.Ordinal);

    private BlueprintSource(DslVersion version, string mainFile, string baseDirectory, Func<string, string?>? pluginResolver)
    {
        _pluginResolver = pluginResolver;
        Version = version;
        MainFile = mainFile;
        BaseDirectory = baseDirectory;
    }

    public DslVersion Version { get; }

    public string MainFile { get; }

    /// <summary>The directory of the main file: the blueprint's resources (scripts) and the root imports may not leave.</summary>
    public string BaseDirectory { get; }

    public YNode? Description { get; private set; }

    public YNode? Metadata { get; private set; }

    public YNode? DeploymentSettings { get; private set; }

    public IReadOnlyList<SectionEntry> Section(string name) =>
        _sections.TryGetValue(name, out var list) ? list : [];

    public SectionEntry? Find(string section, string name) =>
        _index.TryGetValue(section, out var map) && map.TryGetValue(name, out var entry) ? entry : null;

    private readonly Dictionary<string, YMap> _pluginProperties = new(StringComparer.Ordinal);

    /// <summary>Property values given with a 1_5 plugin import (<c>- plugin:x: {prop: value}</c>), by plugin file.</summary>
    public YMap? PluginImportProperties(string file) => _pluginProperties.GetValueOrDefault(file);

    /// <summary>Files that came from <c>plugin:</c> imports (a plugin's own plugin.yaml): not subject to version gates.</summary>
    public bool IsPluginFile(string file) => _pluginFiles.Contains(file);

    public static BlueprintSource Load(string mainFilePath, Func<string, string?>? pluginResolver, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(mainFilePath);
        if (!File.Exists(fullPath))
        {
            throw new DslParseException(30, $"Failed converting dsl location to url: no such file '{mainFilePath}'", mainFilePath);
        }

        var displayName = Path.GetFileName(fullPath);
        var root = YamlLoader.Load(File.ReadAllText(fullPath), displayName);
        var rootMap = root as YMap
            ?? throw (root is null
                ? new Mark(displayName, 1, 1).Error(-1, "Failed to parse DSL: Illegal yaml; the blueprint must be a mapping")
                : root.Mark.Error(1, $"Expected 'dict' type but found '{root.KindName}' type"));
        var versionNode = rootMap["tosca_definitions_version"];
        if (versionNode is null or YScalar { IsNull: true })
        {
            throw rootMap.Mark.Error(27, "tosca_definitions_version is missing or empty");
        }

        var source = new BlueprintSource(DslVersion.ParseMain(versionNode), fullPath, Path.GetDirectoryName(fullPath)!, pluginResolver);
        source.LoadAll(rootMap, fullPath, cancellationToken);
        return source;
    }

    private void LoadAll(YMap mainRoot, string mainPath, CancellationToken cancellationToken)
    {
        var loaded = new HashSet<string>(StringComparer.Ordinal) { mainPath };
        var queue = new Queue<(YMap Root, string Location, bool BuiltIn)>();
        queue.Enqueue((mainRoot, mainPath, false));
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (root, location, builtIn) = queue.Dequeue();
            Y.Keys(root, "the blueprint", TopLevelKeys);
            var exempt = builtIn || IsPluginFile(root.Mark.File);
            if (!exempt)
            {
                VersionGates.CheckFile(root, Version);
            }

            if (!exempt && !ReferenceEquals(root, mainRoot) && root["tosca_definitions_version"] is { } importedVersion)
            {
                var version = DslVersion.Parse(importedVersion);
                if (version.CompareTo(Version) > 0)
                {
                    throw importedVersion.Mark.Error(
                        28, $"An import uses a different tosca_definitions_version than the one defined in the main blueprint's file: main blueprint's file version is '{Version.Raw}', import '{root.Mark.File}' has version '{version.Raw}'");
                }
            }

            foreach (var (import, properties) in ImportsOf(root))
            {
                var (key, text, isBuiltIn) = Resolve(import, location);
                if (properties is not null)
                {
                    if (!Version.AtLeast(1, 5) && properties.Count > 0)
                    {
                        throw properties.Entries[0].Key.Mark.Error(
                            102, $"{properties.Entries[0].Key.Text} not supported in version {Version.Raw}: properties of an import were added in cloudify_dsl_1_5");
                    }

                    // Like Cloudify, properties given to an import that is not a plugin's are ignored.
                    if (key.StartsWith("plugin:", StringComparison.Ordinal))
                    {
                        _pluginProperties[key] = properties;
                    }
                }

                if (!loaded.Add(key))
                {
                    continue;
                }

                YNode? importedRoot;
                if (isBuiltIn)
                {
                    importedRoot = YamlLoader.Load(BuiltInTypesText.Value, BuiltInTypesName);
                }
                else if (key.StartsWith("plugin:", StringComparison.Ordinal))
                {
                    _pluginFiles.Add(key);
                    importedRoot = YamlLoader.Load(text!, key);
                }
                else
                {
                    importedRoot = YamlLoader.Load(text!, Path.GetRelativePath(BaseDirectory, key));
                }

                if (importedRoot is null)
                {
                    continue;
                }

                queue.Enqueue((Y.Map(importedRoot, $"import '{Y.String(import, "import")}'"), key, isBuiltIn));
            }

            MergeFile(root, builtIn);
        }
    }

    private static List<(YNode Import, YMap? Properties)> ImportsOf(YMap root)
    {
        var node = root["imports"];
        if (node is null or YScalar { IsNull: true })
        {
            return [];
        }

        var list = Y.ListOf(node, "imports");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(YNode, YMap?)>();
        foreach (var item in list.Items)
        {
            // 1_5 allows `- plugin:x: {properties}`; the import is the key.
            if (item is YMap { Count: not 1 })
            {
                throw item.Mark.Error(220, "Import with properties should be a single-entry dictionary");
            }

            var importNode = item is YMap single ? single.Entries[0].Key : item;
            var text = Y.String(importNode, "import");
            if (!seen.Add(text))
            {
                throw importNode.Mark.Error(2, $"Duplicate imports: '{text}'");
            }

            result.Add((importNode, item is YMap withProperties && withProperties.Entries[0].Value is YMap properties ? properties : null));
        }

        return result;
    }

    private (string Key, string? Text, bool BuiltIn) Resolve(YNode importNode, string importingLocation)
    {
        var import = Y.String(importNode, "import").Trim();
        if (import == BuiltInTypesName || SpecTypesUrl().IsMatch(import))
        {
            return ("builtin:" + BuiltInTypesName, null, true);
        }

        if (import.StartsWith("plugin:", StringComparison.Ordinal) && _pluginResolver is not null)
        {
            var spec = import["plugin:".Length..];
            var pluginYaml = _pluginResolver(spec);
            if (pluginYaml is null || !File.Exists(pluginYaml))
            {
                throw importNode.Mark.Error(13, $"Import failed: no suitable location found for import '{import}': the plugin is not available");
            }

            // Keyed by the whole import, as Cloudify dedupes imports: the same plugin asked for twice differently
            // is loaded twice (and its definitions conflict).
            return ("plugin:" + spec.Trim(), File.ReadAllText(pluginYaml), false);
        }

        if (import.StartsWith("plugin:", StringComparison.Ordinal) || import.StartsWith("blueprint:", StringComparison.Ordinal))
        {
            throw importNode.Mark.Error(13, $"Import failed: no suitable location found for import '{import}': plugin and blueprint imports are not supported");
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
            && _pluginResolver?.Invoke(import["plugins/".Length..^".yaml".Length]) is { } served && File.Exists(served))
        {
            // The manager's file server also serves uploaded plugins' yaml as resources/plugins/<name>.yaml.
            return ("plugin:" + import["plugins/".Length..^".yaml".Length], File.ReadAllText(served), false);
        }

        if (BlueprintPaths.ResolveInside(BaseDirectory, BaseDirectory, full) is null)
        {
            throw importNode.Mark.Error(13, $"Import failed: no suitable location found for import '{import}'");
        }

        return (full, File.ReadAllText(full), false);
    }

    private void MergeFile(YMap root, bool builtIn)
    {
        foreach (var (key, value) in root.Entries)
        {
            switch (key.Text)
            {
                case "tosca_definitions_version" or "imports" or "dsl_definitions":
                    break;
                case "description":
                    Description ??= value;
                    break;
                case "metadata":
                    Metadata ??= value;
                    break;
                case "deployment_settings":
                    if (DeploymentSettings is not null)
                    {
                        throw key.Mark.Error(3, "Import failed: non-mergeable field: 'deployment_settings'");
                    }

                    DeploymentSettings = value;
                    break;
                default:
                    if (Array.IndexOf(DictSections, key.Text) >= 0)
                    {
                        MergeSection(key.Text, value, builtIn);
                    }

                    break;
            }
        }
    }

    private void MergeSection(string section, YNode value, bool builtIn)
    {
        if (value is YScalar { IsNull: true })
        {
            return;
        }

        var map = Y.Map(value, section);
        if (_sections.ContainsKey(section) && !Version.AtLeast(1, 3) && Array.IndexOf(MergeableFrom13, section) >= 0)
        {
            throw value.Mark.Error(
                3, $"Import failed: non-mergeable field: '{section}'. {section} can be imported multiple times only from cloudify_dsl_1_3 and above.");
        }

        if (!_sections.TryGetValue(section, out var list))
        {
            list = [];
            _sections[section] = list;
            _index[section] = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
        }

        var index = _index[section];
        foreach (var (key, item) in map.Entries)
        {
            if (index.TryGetValue(key.Text, out var existing))
            {
                // Like Cloudify, a built-in type, or any name under the reserved "cloudify." prefix, replaces what an
                // earlier file defined (so a blueprint cannot override the built-in workflows or types).
                if (builtIn || key.Text.StartsWith("cloudify.", StringComparison.Ordinal))
                {
                    var replacement = new SectionEntry(key, item, builtIn);
                    list[list.IndexOf(existing)] = replacement;
                    index[key.Text] = replacement;
                    continue;
                }

                if (section == "node_templates" && ExtendNodeTemplate(existing.Value, item) is { } extended)
                {
                    var merged = existing with { Value = extended };
                    list[list.IndexOf(existing)] = merged;
                    index[key.Text] = merged;
                    continue;
                }

                // Labels and tags an import also sets, and workflows an import also defines: the earlier file wins.
                if (section is "labels" or "blueprint_labels" or "resource_tags" or "workflows")
                {
                    continue;
                }

                throw key.Mark.Error(
                    4, $"Import failed: Could not merge '{section}' due to conflict on '{key.Text}' (also defined at {existing.Key.Mark.File}:{existing.Key.Mark.Line}:{existing.Key.Mark.Column})");
            }

            // The main file is merged first, so its items lead each section in declaration order.
            var entry = new SectionEntry(key, item, builtIn);
            index[key.Text] = entry;
            list.Add(entry);
        }
    }

    [GeneratedRegex(@"^https?://(?:www\.)?(?:getcloudify\.org|cloudify\.co)/spec/cloudify/[^/]+/types\.yaml$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SpecTypesUrl();
}
