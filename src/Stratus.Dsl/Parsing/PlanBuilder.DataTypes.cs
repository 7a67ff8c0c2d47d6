using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Checks on data_types beyond their shape: property types exist, no type needs itself, defaults fit.</summary>
internal sealed partial class PlanBuilder
{
    private void ValidateDataTypes()
    {
        var entries = _source.Section("data_types").ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries.Values)
        {
            foreach (var (name, property) in PropertyNodes(entry))
            {
                if (property["type"] is YScalar { Value: string type } typeNode && !ValueTyper.IsKnownType(type, _dataTypes))
                {
                    throw typeNode.Mark.Error(103, $"Illegal type name '{type}' of property '{name}' of data type '{entry.Name}'");
                }
            }
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Values)
        {
            CheckNoCycle(entry.Name, [], done, entries);
        }

        foreach (var entry in entries.Values)
        {
            foreach (var (name, property) in PropertyNodes(entry))
            {
                if (property["default"] is not { } defaultNode || property["type"] is not YScalar { Value: string type })
                {
                    continue;
                }

                try
                {
                    ValueTyper.Parse(defaultNode.ToJson(), type, _dataTypes, entry.Name, name);
                }
                catch (DslParseException ex) when (ex.DslErrorCode != 107)
                {
                    // Cloudify fills a default leniently: only what is missing is not an error.
                    throw defaultNode.Mark.Error(ex.DslErrorCode, ex.Message);
                }
                catch (DslParseException)
                {
                }
            }
        }
    }

    /// <summary>A data type depends on its parent and on the data types of its properties; a loop is error 100.</summary>
    private void CheckNoCycle(string name, List<string> path, HashSet<string> done, Dictionary<string, SectionEntry> entries)
    {
        if (done.Contains(name) || !entries.TryGetValue(name, out var entry))
        {
            return;
        }

        if (path.Contains(name))
        {
            throw entry.Key.Mark.Error(100, $"Parsing failed. Circular dependency detected: {string.Join(" --> ", path.Append(name))}");
        }

        path.Add(name);
        var dependencies = PropertyNodes(entry).Select(p => p.Property["type"]).OfType<YScalar>().Select(t => t.Value).OfType<string>();
        if (_dataTypes[name]["derived_from"] is JsonValue parent && parent.GetValueKind() == JsonValueKind.String)
        {
            dependencies = dependencies.Prepend(parent.GetValue<string>());
        }

        foreach (var dependency in dependencies.ToList())
        {
            CheckNoCycle(dependency, path, done, entries);
        }

        path.RemoveAt(path.Count - 1);
        done.Add(name);
    }

    private static IEnumerable<(string Name, YMap Property)> PropertyNodes(SectionEntry entry) =>
        ((entry.Value as YMap)?["properties"] as YMap)?.Entries
            .Where(e => e.Value is YMap)
            .Select(e => (e.Key.Text, (YMap)e.Value))
        ?? [];
}
