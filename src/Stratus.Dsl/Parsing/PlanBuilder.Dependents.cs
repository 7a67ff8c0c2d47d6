using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// Error collection (<see cref="BuildErrors"/>): what an element depends on, so that an element whose dependency
/// failed is skipped with that dependency's error instead of reporting a consequence of it.
/// </summary>
internal sealed partial class PlanBuilder
{
    private void CheckNodeType(string name)
    {
        var type = _nodeTypes.Get(name);
        ThrowIfSchemaUsesFailedDataType(type.Properties.Values);
    }

    private void CheckRelationshipType(string name)
    {
        var type = _relationshipTypes.Get(name);
        ThrowIfSchemaUsesFailedDataType(type.Properties.Values);
    }

    /// <summary>A data type built on a failed one (by derivation or a property's type) fails with it; failed ones stay known as empty types.</summary>
    private void TaintDataTypeDependents()
    {
        if (!_errors.AnyFailed("data_types"))
        {
            return;
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var entry in _source.Section("data_types"))
            {
                if (_errors.HasFailed("data_types", entry.Name) || !_dataTypes.TryGetValue(entry.Name, out var dataType))
                {
                    continue;
                }

                var uses = (dataType["properties"] as JsonObject ?? []).Select(p => p.Value as JsonObject);
                changed |= !_errors.Run("data_types", entry.Name, () =>
                {
                    _errors.ThrowIfFailed("data_types", dataType["derived_from"]?.GetValue<string>());
                    ThrowIfSchemaUsesFailedDataType(uses);
                });
            }
        }

        foreach (var name in _errors.FailedNames("data_types"))
        {
            _dataTypes[name] = new JsonObject { ["properties"] = new JsonObject() };
        }
    }

    private void ThrowIfSchemaUsesFailedDataType(IEnumerable<JsonObject?> schemas)
    {
        if (!_errors.AnyFailed("data_types"))
        {
            return;
        }

        foreach (var schema in schemas)
        {
            if (schema?["type"] is JsonValue type && type.TryGetValue<string>(out var typeName))
            {
                _errors.ThrowIfFailed("data_types", typeName);
            }
        }
    }

    private void ThrowIfInputUsesFailedDataType(SectionEntry entry)
    {
        if (entry.Value is YMap map && map["type"] is YScalar { Value: string type })
        {
            _errors.ThrowIfFailed("data_types", type);
        }
    }

    /// <summary>A template whose node type or one of whose relationship types failed is skipped.</summary>
    private void ThrowIfTemplateUsesFailedType(SectionEntry entry)
    {
        if (entry.Value is not YMap map)
        {
            return;
        }

        if (map["type"] is YScalar { Value: string type })
        {
            _errors.ThrowIfFailed("node_types", type);
        }

        if (map["relationships"] is YSeq relationships)
        {
            foreach (var relationship in relationships.Items)
            {
                if (relationship is YMap r && r["type"] is YScalar { Value: string relationshipType })
                {
                    _errors.ThrowIfFailed("relationships", relationshipType);
                }
            }
        }
    }

    /// <summary>Drops what points at failed templates so that the whole-graph checks see a consistent subset.</summary>
    private void PruneFailedTemplates(List<JsonObject> nodes, Dictionary<string, string> containers)
    {
        var failed = _errors.FailedNames("node_templates").ToHashSet(StringComparer.Ordinal);
        if (failed.Count == 0)
        {
            return;
        }

        foreach (var node in nodes)
        {
            var relationships = node["relationships"]!.AsArray();
            for (var i = relationships.Count - 1; i >= 0; i--)
            {
                if (failed.Contains(relationships[i]!["target_id"]!.GetValue<string>()))
                {
                    relationships.RemoveAt(i);
                }
            }
        }

        foreach (var (source, target) in containers.ToList())
        {
            if (failed.Contains(source) || failed.Contains(target))
            {
                containers.Remove(source);
            }
        }
    }
}
