using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Turns a merged <see cref="BlueprintSource"/> into Cloudify's blueprint plan.</summary>
internal sealed partial class PlanBuilder
{
    private readonly BlueprintSource _source;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, JsonObject> _plugins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _dataTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (JsonObject Interfaces, JsonObject Operations)> _operationCache = new(StringComparer.Ordinal);
    private TypeResolver _nodeTypes = null!;
    private TypeResolver _relationshipTypes = null!;
    private readonly BuildErrors _errors;

    public PlanBuilder(BlueprintSource source, CancellationToken cancellationToken, BuildErrors? errors = null)
    {
        _source = source;
        _cancellationToken = cancellationToken;
        _errors = errors ?? new BuildErrors(collect: false);
    }

    public JsonObject Build()
    {
        _errors.Run("version", string.Empty, () => VersionGates.Check(_source));
        var plan = new JsonObject();
        _errors.Run("description", string.Empty, () => plan["description"] = _source.Description is { } d ? Y.String(d, "description") : null);
        plan["metadata"] = _source.Metadata?.ToJson();
        plan["version"] = _source.Version.ToPlan();
        plan["plugins"] = BuildPlugins();
        plan["data_types"] = BuildDataTypes();
        plan["inputs"] = BuildInputs();
        _nodeTypes = new TypeResolver(_source.Section("node_types"), relationships: false, _dataTypes);
        _relationshipTypes = new TypeResolver(_source.Section("relationships"), relationships: true, _dataTypes);
        foreach (var name in _nodeTypes.Names)
        {
            _errors.Run("node_types", name, () => CheckNodeType(name));
        }

        ValidateTypeSchemas();
        plan["relationships"] = BuildRelationshipTypes();
        var nodes = BuildNodes();
        plan["nodes"] = nodes;
        plan["workflows"] = BuildWorkflows(out var workflowPlugins);
        plan["workflow_plugins_to_install"] = workflowPlugins;
        plan["outputs"] = BuildValueSection("outputs");
        plan["capabilities"] = BuildValueSection("capabilities");
        _errors.Run("groups", string.Empty, () => BuildGroupsAndPolicies(plan, nodes));
        plan["policy_types"] = RawSection("policy_types");
        plan["policy_triggers"] = RawSection("policy_triggers");
        plan["labels"] = BuildLabels("labels");
        plan["blueprint_labels"] = BuildLabels("blueprint_labels");
        plan["resource_tags"] = RawSection("resource_tags");
        plan["deployment_settings"] = BuildDeploymentSettings();
        plan["imported_blueprints"] = new JsonArray(_source.ImportedBlueprints.Select(id => (JsonNode?)id).ToArray());
        plan["namespaces_mapping"] = new JsonObject(_source.NamespacesMapping.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        if (!_errors.AnyFailed("nodes"))
        {
            PlanPlugins(plan, nodes);
        }

        plan["requirements"] = new JsonObject
        {
            ["parent_capabilities"] = new JsonArray(),
            ["secrets"] = new JsonArray(SecretNames().Select(s => (JsonNode?)s).ToArray()),
        };
        plan.Remove("plugins");
        new FunctionValidator(plan, _source, _errors).Validate();
        return plan;
    }

    private SortedSet<string> SecretNames()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "inputs", "node_types", "relationships", "node_templates", "outputs", "capabilities", "labels", "policies", "workflows", "data_types" })
        {
            foreach (var entry in _source.Section(section).Where(e => !e.BuiltIn))
            {
                FunctionScanner.CollectSecretNames(entry.Value, names);
            }
        }

        if (_source.DeploymentSettings is { } settings)
        {
            FunctionScanner.CollectSecretNames(settings, names);
        }

        return names;
    }

    private JsonObject RawSection(string section)
    {
        var result = new JsonObject();
        foreach (var entry in _source.Section(section))
        {
            result[entry.Name] = entry.Value.ToJson();
        }

        return result;
    }

    private JsonObject BuildDataTypes()
    {
        var result = new JsonObject();
        foreach (var entry in _source.Section("data_types"))
        {
            _errors.Run("data_types", entry.Name, () => BuildDataType(entry, result));
        }

        foreach (var entry in _source.Section("data_types"))
        {
            _errors.Run("data_types", entry.Name, () => CheckDerivedDataType(entry));
        }

        if (!_errors.AnyFailed("data_types"))
        {
            try
            {
                ValidateDataTypes();
            }
            catch (DslParseException e) when (_errors.Collecting)
            {
                _errors.Record(e);
            }
        }

        TaintDataTypeDependents();
        return result;
    }

    private void CheckDerivedDataType(SectionEntry entry)
    {
        _errors.ThrowIfFailed("data_types", entry.Name);
        if (_dataTypes[entry.Name]["derived_from"]?.GetValue<string>() is { } parent && !_dataTypes.ContainsKey(parent))
        {
            throw entry.Key.Mark.Error(103, $"Missing definition for type '{parent}' which is declared as derived by type '{entry.Name}'");
        }
    }

    private void BuildDataType(SectionEntry entry, JsonObject result)
    {
        var map = Y.MapOrEmpty(entry.Value, $"data type '{entry.Name}'", entry.Key.Mark);
        Y.Keys(map, $"data type '{entry.Name}'", "derived_from", "description", "version", "properties");
        if (Array.IndexOf(ValueTyper.PrimitiveTypes, entry.Name) >= 0)
        {
            throw entry.Key.Mark.Error(104, $"Can't redefine primitive type '{entry.Name}'");
        }

        var properties = new JsonObject();
        foreach (var (key, schema) in TypeResolver.ParseSchema(map["properties"], $"data type '{entry.Name}'", map.Mark))
        {
            properties[key] = schema;
        }

        var dataType = new JsonObject
        {
            ["derived_from"] = Y.OptionalString(map, "derived_from", "derived_from"),
            ["description"] = map["description"]?.ToJson(),
            ["version"] = map["version"]?.ToJson(),
            ["properties"] = properties,
        };
        _dataTypes[entry.Name] = dataType;
        result[entry.Name] = dataType.DeepClone();
    }

    private JsonObject BuildValueSection(string section)
    {
        var result = new JsonObject();
        foreach (var entry in _source.Section(section))
        {
            _errors.Run(section, entry.Name, () =>
            {
                var what = $"{section[..^1]} '{entry.Name}'";
                var map = Y.Map(entry.Value, what);
                Y.Keys(map, what, "description", "value", "display_label", "hidden");
                Y.Required(map, "value", what);
                if (map["description"] is { } description and not YScalar { IsNull: true })
                {
                    Y.String(description, $"description of {what}");
                }

                FunctionScanner.ValidateInputReferences(map, _inputNames);
                result[entry.Name] = map.ToJson();
            });
        }

        return result;
    }
}
