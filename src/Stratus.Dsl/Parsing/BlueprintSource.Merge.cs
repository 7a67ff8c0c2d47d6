using Stratus.Dsl.Parsing.Namespaces;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class BlueprintSource
{
    private static readonly string[] FirstWinsSections = ["labels", "blueprint_labels", "resource_tags"];

    /// <summary>Sections Cloudify merges across files only from cloudify_dsl_1_3 on.</summary>
    private static readonly string[] MergeableFrom13 =
        ["inputs", "outputs", "node_templates", "capabilities", "blueprint_labels", "labels", "resource_tags"];

    /// <summary>Sections some file already defined (even as null): a second one is refused where they do not merge.</summary>
    private readonly HashSet<string> _definedSections = new(StringComparer.Ordinal);

    private void MergeFile(YMap root, bool builtIn, bool cloudifyTypes, string? ns)
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
                    Metadata ??= ns is null ? value : PrefixKeys(value, ns);
                    break;
                case "deployment_settings":
                    MergeDeploymentSettings(key.Mark, ns is null ? value : PrefixKeys(value, ns));
                    break;
                default:
                    if (Array.IndexOf(DictSections, key.Text) >= 0)
                    {
                        Define(key.Text, key.Mark);
                    }

                    if (Array.IndexOf(DictSections, key.Text) >= 0 && value is not YScalar { IsNull: true })
                    {
                        foreach (var (name, item) in Y.Map(value, key.Text).Entries)
                        {
                            Add(key.Text, ns is null || cloudifyTypes
                                ? new SectionEntry(name, item, builtIn, cloudifyTypes)
                                : new SectionEntry(Namespacer.Key(name, ns), NamespaceRules.Item(key.Text, item, ns), builtIn));
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// An uploaded blueprint imported as <c>ns--blueprint:id</c>: its merged items take the namespace on top of
    /// their own (nested namespaces chain), except Cloudify's basic types, which merge as they are.
    /// </summary>
    private void MergeBlueprint(BlueprintSource blueprint, string ns)
    {
        foreach (var id in blueprint.ImportedBlueprints.Where(id => !ImportedBlueprints.Contains(id)))
        {
            ImportedBlueprints.Add(id);
        }

        foreach (var (nested, id) in blueprint.NamespacesMapping)
        {
            var name = Namespacer.IsCloudifyName(nested) ? nested : Namespacer.Prefix(ns, nested);
            if (IsBlueprintNamespace(name))
            {
                throw new DslParseException(4, $"Import failed: Could not merge 'namespaces_mapping' due to conflict on '{name}'");
            }

            NamespacesMapping.Add(new(name, id));
        }

        _pluginFiles.UnionWith(blueprint._pluginFiles);
        foreach (var (file, properties) in blueprint._pluginProperties)
        {
            _pluginProperties.TryAdd(file, properties);
        }

        Description ??= blueprint.Description;
        Metadata ??= blueprint.Metadata is { } metadata ? PrefixKeys(metadata, ns) : null;
        if (blueprint.DeploymentSettings is { } settings)
        {
            MergeDeploymentSettings(settings.Mark, PrefixKeys(settings, ns));
        }

        foreach (var section in blueprint._definedSections)
        {
            Define(section, Mark.None);
        }

        foreach (var (section, entries) in blueprint._sections)
        {
            foreach (var entry in entries)
            {
                Add(section, entry.CloudifyType
                    ? entry
                    : new SectionEntry(Namespacer.Key(entry.Key, ns), NamespaceRules.Item(section, entry.Value, ns), entry.BuiltIn));
            }
        }
    }

    /// <summary>
    /// Cloudify's merge of a top-level key a previous file also has: <c>policies</c> never merges, and before 1_3
    /// neither do inputs, outputs, node templates, capabilities, labels and resource tags (error 3).
    /// </summary>
    private void Define(string section, Mark mark)
    {
        if (_definedSections.Add(section))
        {
            return;
        }

        if (section == "policies")
        {
            throw mark.Error(3, "Import failed: non-mergeable field: 'policies'");
        }

        if (!Version.AtLeast(1, 3) && Array.IndexOf(MergeableFrom13, section) >= 0)
        {
            throw mark.Error(
                3, $"Import failed: non-mergeable field: '{section}'. {section} can be imported multiple times only from cloudify_dsl_1_3 and above.");
        }
    }

    private void MergeDeploymentSettings(Mark mark, YNode value)
    {
        if (DeploymentSettings is not null)
        {
            throw mark.Error(3, "Import failed: non-mergeable field: 'deployment_settings'");
        }

        DeploymentSettings = value;
    }

    /// <summary>Cloudify's merge of one item into its section (the main file first, then imports breadth-first).</summary>
    private void Add(string section, SectionEntry entry)
    {
        if (!_sections.TryGetValue(section, out var list))
        {
            list = [];
            _sections[section] = list;
            _index[section] = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        var index = _index[section];
        if (!index.TryGetValue(entry.Name, out var at))
        {
            index[entry.Name] = list.Count;
            list.Add(entry);
            return;
        }

        var existing = list[at];
        if (entry.CloudifyType || Namespacer.IsCloudifyName(entry.Name))
        {
            // Basic types (and anything named cloudify.*) may be defined again: the later definition takes the place.
            list[at] = entry;
        }
        else if (Array.IndexOf(FirstWinsSections, section) >= 0)
        {
            // Labels and tags an import also sets: the first (the main file's) wins.
        }
        else if (section == "workflows")
        {
            list[at] = existing with { Value = MergeWorkflow(existing.Value, entry.Value) };
        }
        else if (section == "node_templates" && NodeTemplateMerge.TryMerge(existing.Value, entry.Value) is { } merged)
        {
            list[at] = existing with { Value = merged };
        }
        else
        {
            throw entry.Key.Mark.Error(
                4, $"Import failed: Could not merge '{section}' due to conflict on '{entry.Name}' (also defined at {existing.Key.Mark.File}:{existing.Key.Mark.Line}:{existing.Key.Mark.Column})");
        }
    }

    /// <summary>A workflow defined twice keeps the first definition, completed with fields only the later one has.</summary>
    private static YNode MergeWorkflow(YNode first, YNode later)
    {
        if (first is not YMap target || later is not YMap source)
        {
            return first;
        }

        var entries = target.Entries.ToList();
        entries.AddRange(source.Entries.Where(e => !target.ContainsKey(e.Key.Text)));
        return new YMap(target.Mark, entries);
    }

    private static YNode PrefixKeys(YNode node, string ns) => node is YMap map
        ? new YMap(map.Mark, map.Entries.Select(e => new KeyValuePair<YScalar, YNode>(Namespacer.Key(e.Key, ns), e.Value)).ToList())
        : node;
}
