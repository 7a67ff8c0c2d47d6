using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private JsonObject BuildWorkflows(out JsonArray workflowPlugins)
    {
        var result = new JsonObject();
        var plugins = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var entry in _source.Section("workflows"))
        {
            _errors.Run("workflows", entry.Name, () => BuildWorkflow(entry, result, plugins));
        }

        workflowPlugins = new JsonArray(plugins.Values.ToArray());
        return result;
    }

    private void BuildWorkflow(SectionEntry entry, JsonObject result, Dictionary<string, JsonNode> plugins)
    {
        var what = $"workflow '{entry.Name}'";
        string mapping;
        JsonObject parameters = [];
        var cascading = false;
        JsonNode? availability = null;
        Mark mark;
        if (entry.Value is YScalar { Value: string s })
        {
            mapping = s;
            mark = entry.Value.Mark;
        }
        else
        {
            var map = Y.Map(entry.Value, what);
            Y.Keys(map, what, "mapping", "parameters", "is_cascading", "availability_rules");
            mapping = Y.String(Y.Required(map, "mapping", what), $"mapping of {what}");
            mark = map["mapping"]!.Mark;
            if (map["parameters"] is { } p and not YScalar { IsNull: true })
            {
                parameters = (JsonObject)Y.Map(p, $"parameters of {what}").ToJson()!;
                if (!entry.BuiltIn)
                {
                    ValidateParameterDefaults(Y.Map(p, $"parameters of {what}"));
                }
            }

            cascading = Y.OptionalBool(map, "is_cascading", $"is_cascading of {what}") ?? false;
            availability = AvailabilityRules(map["availability_rules"], what);
        }

        string plugin;
        string operation;
        var isFile = UrlScheme().IsMatch(mapping) || LocalResourceExists(mapping);
        var isInline = !isFile && mapping.Trim().Contains('\n', StringComparison.Ordinal);
        isFile = isFile || (!isInline && !_plugins.Keys.Any(p => mapping.StartsWith(p + ".", StringComparison.Ordinal))
            && IsImportedBlueprintResource(mapping));
        if (isFile || isInline)
        {
            plugin = ScriptPluginName()
                ?? throw mark.Error(61, $"Script plugin is not defined but it is required for mapping 'script_runner.tasks.execute_workflow' of workflow '{entry.Name}'");
            operation = "script_runner.tasks.execute_workflow";
            parameters[isFile ? "script_path" : "script_source"] = new JsonObject
            {
                ["default"] = mapping,
                ["description"] = "Workflow script executed by the script plugin",
            };
        }
        else
        {
            var candidates = _plugins.Keys.Where(p => mapping.StartsWith(p + ".", StringComparison.Ordinal)).ToList();
            if (candidates.Count != 1)
            {
                throw mark.Error(
                    candidates.Count > 1 ? 91 : 21,
                    $"Could not extract plugin or a script resource is not found from workflow mapping '{mapping}' of workflow '{entry.Name}'");
            }

            plugin = candidates[0];
            operation = mapping[(plugin.Length + 1)..];
        }

        if (entry.BuiltIn && !_source.Version.AtLeast(1, 5))
        {
            AdjustBuiltInWorkflowFor14(entry.Name, parameters);
        }

        plugins[plugin] = _plugins[plugin].DeepClone();
        result[entry.Name] = new JsonObject
        {
            ["plugin"] = plugin,
            ["operation"] = operation,
            ["parameters"] = parameters,
            ["is_cascading"] = cascading,
            ["availability_rules"] = availability,
        };
    }

    /// <summary>
    /// The manager serves blueprints older than 1_5 a version-matched copy of its types (types_1_4.yaml); its
    /// workflows differ from the latest in three parameters, applied here instead of shipping a second file.
    /// </summary>

    private static void AdjustBuiltInWorkflowFor14(string workflow, JsonObject parameters)
    {
        switch (workflow)
        {
            case "check_drift" when parameters["run_by_dependency_order"] is JsonObject order:
                order["default"] = false;
                break;
            case "execute_operation" when parameters["operation"] is JsonObject operation:
                operation.Remove("type");
                break;
            case "uninstall":
                parameters.Remove("recursive");
                break;
        }
    }

    private static JsonNode? AvailabilityRules(YNode? node, string what)
    {
        if (node is null or YScalar { IsNull: true })
        {
            return node?.ToJson();
        }

        var map = Y.Map(node, $"availability_rules of {what}");
        Y.Keys(map, $"availability_rules of {what}", "available", "node_instances_active", "node_types_required");
        Y.OptionalBool(map, "available", $"available rule of {what}");
        if (map["node_instances_active"] is { } active and not YScalar { IsNull: true })
        {
            var values = Y.ListOf(active, $"node_instances_active rule of {what}");
            if (values.Items.FirstOrDefault(v => v is not YScalar { Value: "all" or "partial" or "none" }) is { } bad)
            {
                throw bad.Mark.Error(
                    103, $"Invalid node_instances_active (active_node_instances) availability rule of {what}: {Python.Str(active.ToJson())}; allowed values are 'all', 'partial', 'none'");
            }
        }

        if (map["node_types_required"] is { } types and not YScalar { IsNull: true })
        {
            foreach (var type in Y.ListOf(types, $"node_types_required rule of {what}").Items)
            {
                Y.String(type, $"node_types_required rule of {what}");
            }
        }

        return map.ToJson();
    }

    /// <summary>A parameter's default must be of the parameter's type (error 105), as an input's.</summary>
    private void ValidateParameterDefaults(YMap parameters)
    {
        foreach (var (key, value) in parameters.Entries)
        {
            if (value is not YMap parameter || parameter["default"] is not { } defaultNode
                || Y.OptionalString(parameter, "type", $"type of parameter '{key.Text}'") is not { } type
                || !ValueTyper.IsKnownType(type, _dataTypes))
            {
                continue;
            }

            try
            {
                ValueTyper.Parse(defaultNode.ToJson(), type, _dataTypes, key.Text, key.Text);
            }
            catch (DslParseException ex)
            {
                throw defaultNode.Mark.Error(ex.DslErrorCode, ex.Message);
            }
        }
    }
}
