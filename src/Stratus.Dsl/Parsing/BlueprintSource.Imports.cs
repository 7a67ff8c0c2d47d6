using Stratus.Dsl.Parsing.Namespaces;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class BlueprintSource
{
    private const string BlueprintPrefix = "blueprint:";
    private const string PluginPrefix = "plugin:";

    /// <summary>
    /// One file to merge: a YAML file (<paramref name="Root"/>) or an uploaded blueprint already merged on its own
    /// (<paramref name="Blueprint"/>), with the namespace its items take.
    /// </summary>
    private sealed record ImportedFile(
        YMap? Root, BlueprintSource? Blueprint, string Location, string? Namespace, bool BuiltIn, bool CloudifyTypes, Mark ImportMark);

    /// <summary>Cloudify fetches every import breadth-first (parents first), then merges them in that order.</summary>
    private void LoadAll(YMap mainRoot, string mainPath, bool checkVersions, CancellationToken cancellationToken)
    {
        var main = new ImportedFile(mainRoot, null, mainPath, null, false, false, mainRoot.Mark);
        var ordered = new List<ImportedFile> { main };
        var loaded = new Dictionary<(string Key, string? Namespace), bool> { [(mainPath, null)] = false };
        var queue = new Queue<ImportedFile>();
        queue.Enqueue(main);
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parent = queue.Dequeue();
            foreach (var (import, properties) in ImportsOf(parent.Root!))
            {
                if (Fetch(parent, import, properties, loaded, cancellationToken) is not { } next)
                {
                    continue;
                }

                ordered.Add(next);
                if (next.Root is not null)
                {
                    queue.Enqueue(next);
                }
            }
        }

        ImportedBlueprints.AddRange(NamespacesMapping.Select(m => m.Value));
        foreach (var file in ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Blueprint is { } blueprint)
            {
                CheckImportedVersion(blueprint.Version, file.ImportMark, checkVersions);
                MergeBlueprint(blueprint, file.Namespace!);
                continue;
            }

            var root = file.Root!;
            Y.Keys(root, "the blueprint", TopLevelKeys);
            var exempt = file.BuiltIn || IsPluginFile(root.Mark.File);
            if (checkVersions && !exempt)
            {
                VersionGates.CheckFile(root, Version);
                if (!ReferenceEquals(root, mainRoot) && root["tosca_definitions_version"] is { } importedVersion)
                {
                    CheckImportedVersion(DslVersion.Parse(importedVersion), importedVersion.Mark, checkVersions);
                }
            }

            MergeFile(root, file.BuiltIn, file.CloudifyTypes, file.Namespace);
        }
    }

    private void CheckImportedVersion(DslVersion version, Mark mark, bool checkVersions)
    {
        if (checkVersions && version.CompareTo(Version) > 0)
        {
            throw mark.Error(
                28, $"An import uses a different tosca_definitions_version than the one defined in the main blueprint's file: main blueprint's file version is '{Version.Raw}', import '{mark.File}' has version '{version.Raw}'");
        }
    }

    private ImportedFile? Fetch(
        ImportedFile parent,
        YNode importNode,
        YMap? properties,
        Dictionary<(string Key, string? Namespace), bool> loaded,
        CancellationToken cancellationToken)
    {
        var raw = Y.String(importNode, "import").Trim();
        var (own, url) = SplitNamespace(raw, importNode.Mark);
        var ns = Namespacer.Chain(parent.Namespace, own);
        if (url.StartsWith(BlueprintPrefix, StringComparison.Ordinal))
        {
            return FetchBlueprint(url, ns, importNode.Mark, loaded, cancellationToken);
        }

        var (key, text, isBuiltIn) = Resolve(importNode, url, parent.Location);
        if (properties is not null)
        {
            if (!Version.AtLeast(1, 5) && properties.Count > 0)
            {
                throw properties.Entries[0].Key.Mark.Error(
                    102, $"{properties.Entries[0].Key.Text} not supported in version {Version.Raw}: properties of an import were added in cloudify_dsl_1_5");
            }

            // Like Cloudify, properties given to an import that is not a plugin's are ignored.
            if (key.StartsWith(PluginPrefix, StringComparison.Ordinal))
            {
                _pluginProperties[key] = properties;
            }
        }

        if (loaded.TryGetValue((key, ns), out var wasTypes))
        {
            CheckTypesNamespace(ns, wasTypes, parent.Namespace, importNode.Mark);
            return null;
        }

        YNode? importedRoot;
        if (isBuiltIn)
        {
            importedRoot = BuiltInTypes;
        }
        else if (key.StartsWith(PluginPrefix, StringComparison.Ordinal))
        {
            _pluginFiles.Add(key);
            importedRoot = YamlLoader.Load(text!, key);
        }
        else
        {
            importedRoot = YamlLoader.Load(text!, Path.GetRelativePath(BaseDirectory, key));
        }

        var map = importedRoot is null ? null : Y.Map(importedRoot, $"import '{raw}'");
        var isTypes = isBuiltIn || (map?["node_types"] is YMap types && types.ContainsKey("cloudify.nodes.Root"));
        CheckTypesNamespace(ns, isTypes, parent.Namespace, importNode.Mark);
        loaded[(key, ns)] = isTypes;
        return map is null ? null : new ImportedFile(map, null, key, isTypes ? null : ns, isBuiltIn, isTypes, importNode.Mark);
    }

    private ImportedFile? FetchBlueprint(
        string url,
        string? ns,
        Mark mark,
        Dictionary<(string Key, string? Namespace), bool> loaded,
        CancellationToken cancellationToken)
    {
        if (ns is null)
        {
            throw mark.Error(213, $"Invalid {url}: a blueprint import must be given a namespace (ns--{url})");
        }

        if (loaded.ContainsKey((url, ns)))
        {
            return null;
        }

        if (IsBlueprintNamespace(ns))
        {
            throw mark.Error(214, $"Import failed {ns}: the same namespace cannot be used for importing two blueprints");
        }

        var id = url[BlueprintPrefix.Length..].Trim();
        if (_blueprintChain.Contains(id))
        {
            throw mark.Error(13, $"Import failed: blueprint '{id}' imports itself through {string.Join(" -> ", _blueprintChain)}");
        }

        NamespacesMapping.Add(new(ns, id));
        var path = _resolvers.Blueprint?.Invoke(id);
        if (path is null || !File.Exists(path))
        {
            throw mark.Error(13, $"Import failed: no suitable location found for import '{url}': no uploaded blueprint '{id}'");
        }

        var blueprint = Load(path, _resolvers, [.. _blueprintChain, id], cancellationToken);
        loaded[(url, ns)] = false;
        return new ImportedFile(null, blueprint, url, ns, false, false, mark);
    }

    /// <summary>
    /// <c>a--b--file.yaml</c> splits at the last delimiter; the namespace part may not hold another one (212).
    /// </summary>
    private static (string? Namespace, string Url) SplitNamespace(string import, Mark mark)
    {
        var at = import.LastIndexOf(Namespacer.Delimiter, StringComparison.Ordinal);
        if (at < 0)
        {
            return (null, import);
        }

        var ns = import[..at];
        if (ns.Contains(Namespacer.Delimiter, StringComparison.Ordinal))
        {
            throw mark.Error(212, $"Invalid {ns}: an import's namespace cannot contain the namespace delimiter '{Namespacer.Delimiter}'");
        }

        return (ns.Length == 0 ? null : ns, import[(at + Namespacer.Delimiter.Length)..]);
    }

    /// <summary>
    /// Cloudify's basic types cannot take a namespace of their own (214); inside a namespaced file a plain import
    /// of them is fine (it only inherits the file's namespace, which is then dropped).
    /// </summary>
    private static void CheckTypesNamespace(string? ns, bool isTypes, string? parentNamespace, Mark mark)
    {
        if (isTypes && ns is not null && ns != parentNamespace)
        {
            throw mark.Error(214, $"Invalid import namespace {ns}: cannot be used on Cloudify basic types");
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
}
