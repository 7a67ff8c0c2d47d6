using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// The main blueprint file with all its imports loaded and merged, section by section (Cloudify's import merge:
/// named items of dict sections are combined, a name defined twice is a conflict). Items of namespaced imports
/// arrive already renamed (<c>ns--name</c>).
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

    private readonly Dictionary<string, List<SectionEntry>> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YMap> _pluginProperties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pluginFiles = new(StringComparer.Ordinal);
    private readonly ImportResolvers _resolvers;

    /// <summary>The ids of the <c>blueprint:</c> imports being loaded around this one, outermost first.</summary>
    private readonly IReadOnlyList<string> _blueprintChain;

    private BlueprintSource(DslVersion version, string mainFile, string baseDirectory, ImportResolvers resolvers, IReadOnlyList<string> blueprintChain)
    {
        _resolvers = resolvers;
        _blueprintChain = blueprintChain;
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

    /// <summary>Ids of the blueprints imported with <c>blueprint:</c>, in Cloudify's order (duplicates kept).</summary>
    public List<string> ImportedBlueprints { get; } = [];

    /// <summary>Namespace of each <c>blueprint:</c> import (nested ones chained) to the imported blueprint id.</summary>
    public List<KeyValuePair<string, string>> NamespacesMapping { get; } = [];

    public IReadOnlyList<SectionEntry> Section(string name) =>
        _sections.TryGetValue(name, out var list) ? list : [];

    public SectionEntry? Find(string section, string name) =>
        _index.TryGetValue(section, out var map) && map.TryGetValue(name, out var at) ? _sections[section][at] : null;

    /// <summary>Property values given with a 1_5 plugin import (<c>- plugin:x: {prop: value}</c>), by plugin file.</summary>
    public YMap? PluginImportProperties(string file) => _pluginProperties.GetValueOrDefault(file);

    /// <summary>Files that came from <c>plugin:</c> imports (a plugin's own plugin.yaml): not subject to version gates.</summary>
    public bool IsPluginFile(string file) => _pluginFiles.Contains(file);

    /// <summary>True when <paramref name="ns"/> (the part before the first delimiter) names a <c>blueprint:</c> import.</summary>
    public bool IsBlueprintNamespace(string ns) => NamespacesMapping.Any(m => m.Key == ns);

    public static BlueprintSource Load(string mainFilePath, ImportResolvers resolvers, CancellationToken cancellationToken) =>
        Load(mainFilePath, resolvers, [], cancellationToken);

    private static BlueprintSource Load(
        string mainFilePath, ImportResolvers resolvers, IReadOnlyList<string> blueprintChain, CancellationToken cancellationToken)
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

        var source = new BlueprintSource(DslVersion.ParseMain(versionNode), fullPath, Path.GetDirectoryName(fullPath)!, resolvers, blueprintChain);

        // An imported blueprint is merged as it is (Cloudify parses it without version checks).
        source.LoadAll(rootMap, fullPath, checkVersions: blueprintChain.Count == 0, cancellationToken);
        return source;
    }
}
