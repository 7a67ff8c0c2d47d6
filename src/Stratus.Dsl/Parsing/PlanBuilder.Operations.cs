using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Dsl.Parsing.Namespaces;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private const string ScriptPlugin = "script";

    /// <summary>Cloudify's NodeTemplateNodeTypeOperationMerger: a template operation over its type's operation.</summary>
    private static OperationDef MergeTemplateOperation(OperationDef? typeOp, OperationDef? templateOp, string what)
    {
        if (typeOp is null)
        {
            return templateOp!;
        }

        if (templateOp is null)
        {
            return typeOp with { Inputs = MergeSchemaInputs(typeOp.Inputs, [], typeOp.Mark, what) };
        }

        if (templateOp.IsNoOp)
        {
            return templateOp;
        }

        if (typeOp.IsNoOp)
        {
            return templateOp;
        }

        var implementation = templateOp.Implementation.Length > 0 ? templateOp.Implementation : typeOp.Implementation;
        if (implementation != typeOp.Implementation)
        {
            return templateOp;
        }

        return new OperationDef(
            implementation,
            MergeSchemaInputs(typeOp.Inputs, templateOp.Inputs, templateOp.Mark, what),
            templateOp.Executor ?? typeOp.Executor,
            templateOp.MaxRetries ?? typeOp.MaxRetries,
            templateOp.RetryInterval ?? typeOp.RetryInterval,
            templateOp.Timeout ?? typeOp.Timeout,
            templateOp.TimeoutRecoverable ?? typeOp.TimeoutRecoverable,
            templateOp.Mark);
    }

    private static JsonObject MergeSchemaInputs(JsonObject schema, JsonObject instance, Mark mark, string what)
    {
        var merged = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (value is JsonObject s && s.TryGetPropertyValue("default", out var d))
            {
                merged[key] = d?.DeepClone();
            }
        }

        foreach (var (key, value) in instance)
        {
            merged[key] = value?.DeepClone();
        }

        foreach (var (key, value) in schema)
        {
            if (value is JsonObject s && s["type"] is { } type && merged[key] is JsonObject target)
            {
                target["type"] = type.DeepClone();
            }
        }

        var missing = schema.Select(kv => kv.Key).Where(k => !merged.ContainsKey(k)).ToList();
        if (missing.Count == 1)
        {
            throw mark.Error(107, $"Input '{missing[0]}' is missing a value ({what})");
        }

        if (missing.Count > 1)
        {
            throw mark.Error(107, $"Inputs {string.Join(", ", missing.Select(m => $"'{m}'"))} are missing a value ({what})");
        }

        return merged;
    }

    private JsonObject Interfaces(Dictionary<string, Dictionary<string, OperationDef>> interfaces)
    {
        _ = _source;
        var result = new JsonObject();
        foreach (var (iface, ops) in interfaces)
        {
            var obj = new JsonObject();
            foreach (var (name, op) in ops)
            {
                obj[name] = op.ToPlan();
            }

            result[iface] = obj;
        }

        return result;
    }

    /// <summary>Operation records under full and (unambiguous) short names.</summary>
    private JsonObject Operations(
        Dictionary<string, Dictionary<string, OperationDef>> interfaces, int errorCode, string partialMessage)
    {
        var records = new List<KeyValuePair<string, JsonObject?>>();
        var shortIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (iface, ops) in interfaces)
        {
            foreach (var (name, op) in ops)
            {
                var record = ProcessOperation(name, op, errorCode, $"In interface '{iface}' {partialMessage}");
                if (shortIndex.TryGetValue(name, out var at))
                {
                    records[at] = new(name, null);
                }
                else
                {
                    shortIndex[name] = records.Count;
                    records.Add(new(name, record));
                }

                records.Add(new($"{iface}.{name}", record));
            }
        }

        var result = new JsonObject();
        var placed = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        foreach (var (name, record) in records)
        {
            if (record is not null && !result.ContainsKey(name))
            {
                result[name] = placed.Add(record) ? record : record.DeepClone();
            }
        }

        return result;
    }

    private JsonObject ProcessOperation(string name, OperationDef op, int errorCode, string partialMessage)
    {
        var mapping = op.Implementation;
        if (mapping.Length == 0)
        {
            return Record(string.Empty, string.Empty, [], null, op with { MaxRetries = null, RetryInterval = null, Timeout = null, TimeoutRecoverable = null });
        }

        var candidates = _plugins.Keys.Where(p => mapping.StartsWith(p + ".", StringComparison.Ordinal)).ToList();
        var isUrl = UrlScheme().IsMatch(mapping);
        var isLocal = !isUrl && LocalResourceExists(mapping);
        var isInline = !isUrl && !isLocal && mapping.Trim().Contains('\n', StringComparison.Ordinal);
        if (isUrl || isLocal || isInline || (candidates.Count == 0 && IsImportedBlueprintResource(mapping)))
        {
            if (op.Inputs.ContainsKey("script_path") || op.Inputs.ContainsKey("script_source"))
            {
                throw op.Mark.Error(60, $"Cannot define 'script_path' property in '{mapping}' for operation '{name}'");
            }

            var scriptPlugin = ScriptPluginName()
                ?? throw op.Mark.Error(61, $"Script plugin is not defined but it is required for mapping 'script_runner.tasks.run' of operation '{name}'");
            var inputs = (JsonObject)op.Inputs.DeepClone();
            inputs[isInline ? "script_source" : "script_path"] = mapping;
            return Record(scriptPlugin, "script_runner.tasks.run", inputs, op.Executor ?? "auto", op);
        }

        if (candidates.Count > 1)
        {
            throw op.Mark.Error(91, $"Ambiguous operation mapping. [operation={name}, plugins=[{string.Join(", ", candidates)}]]");
        }

        if (candidates.Count == 1)
        {
            var plugin = candidates[0];
            return Record(
                plugin, mapping[(plugin.Length + 1)..], (JsonObject)op.Inputs.DeepClone(),
                op.Executor ?? _plugins[plugin]["executor"]!.GetValue<string>(), op);
        }

        throw op.Mark.Error(
            errorCode,
            $"Could not extract plugin or a script resource is not found from operation mapping/script-path '{mapping}', which is declared for operation '{name}'. {partialMessage}");
    }

    private static JsonObject Record(string plugin, string operation, JsonObject inputs, string? executor, OperationDef op)
    {
        var record = new JsonObject
        {
            ["plugin"] = plugin,
            ["operation"] = operation,
            ["executor"] = executor,
            ["inputs"] = inputs,
            ["has_intrinsic_functions"] = false,
            ["max_retries"] = op.MaxRetries?.DeepClone(),
            ["retry_interval"] = op.RetryInterval?.DeepClone(),
            ["timeout"] = op.Timeout?.DeepClone(),
            ["timeout_recoverable"] = op.TimeoutRecoverable?.DeepClone(),
        };
        var types = new JsonObject();
        foreach (var (key, value) in op.Inputs)
        {
            if (value is JsonObject obj && obj["type"] is { } type)
            {
                types[key] = type.DeepClone();
            }
        }

        if (types.Count > 0)
        {
            record["inputs_types"] = types;
        }

        return record;
    }

    /// <summary>A script of the blueprint (a namespaced file's script is looked up without its namespace).</summary>
    private bool LocalResourceExists(string mapping)
    {
        if (mapping.Contains('\n', StringComparison.Ordinal) || mapping.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return false;
        }

        var path = Namespacer.StripNamespace(mapping);
        return BlueprintPaths.ResolveInside(_source.BaseDirectory, _source.BaseDirectory, path.TrimStart('/')) is not null;
    }

    /// <summary>
    /// <c>ns--scripts/x.sh</c> where <c>ns</c> is a <c>blueprint:</c> import: a script of that uploaded blueprint,
    /// checked when it was uploaded.
    /// </summary>
    private bool IsImportedBlueprintResource(string mapping)
    {
        var at = mapping.IndexOf(Namespacer.Delimiter, StringComparison.Ordinal);
        return at >= 0 && _source.IsBlueprintNamespace(mapping[..at]);
    }

    /// <summary>The script plugin, possibly namespaced: the first plugin whose name ends with <c>script</c>.</summary>
    private string? ScriptPluginName() =>
        _plugins.Keys.FirstOrDefault(p => p.EndsWith(ScriptPlugin, StringComparison.Ordinal));

    private static bool IsOfKind(JsonNode? node, JsonValueKind kind) => node?.GetValueKind() == kind;

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex UrlScheme();
}
