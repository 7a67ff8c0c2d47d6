using System.Text.Json.Nodes;
using Stratus.Dsl.Parsing.Namespaces;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private static readonly string[] PluginKeys =
    [
        "executor", "source", "install", "install_arguments", "package_name", "package_version", "supported_platform",
        "distribution", "distribution_version", "distribution_release", "properties", "properties_description",
    ];

    private JsonObject BuildPlugins()
    {
        var result = new JsonObject();
        foreach (var entry in _source.Section("plugins"))
        {
            if (!_errors.Run("plugins", entry.Name, () => BuildPlugin(entry, result)))
            {
                // Operations and workflows mapped to a broken plugin still resolve; only the plugin is reported.
                _plugins[entry.Name] = new JsonObject { ["name"] = entry.Name, ["executor"] = "central_deployment_agent", ["install"] = false };
            }
        }

        return result;
    }

    private void BuildPlugin(SectionEntry entry, JsonObject result)
    {
        var what = $"plugin '{entry.Name}'";
        var map = Y.Map(entry.Value, what);
        Y.Keys(map, what, PluginKeys);
        var executorNode = Y.Required(map, "executor", what);
        var executor = Y.String(executorNode, $"executor of {what}");
        if (executor is not ("central_deployment_agent" or "host_agent"))
        {
            throw executorNode.Mark.Error(
                18, $"Plugin '{entry.Name}' has an illegal executor value '{executor}'. valid values are [central_deployment_agent, host_agent]");
        }

        var install = Y.OptionalBool(map, "install", $"install of {what}") ?? true;
        var plugin = new JsonObject { ["name"] = entry.Name, ["executor"] = executor, ["install"] = install };
        foreach (var key in PluginKeys)
        {
            if (key is not ("executor" or "install"))
            {
                plugin[key] = map[key]?.ToJson();
            }
        }

        plugin["properties"] ??= new JsonObject();
        ApplyImportedProperties(entry, plugin);
        if (install && plugin["source"] is null && plugin["package_name"] is null)
        {
            throw entry.Key.Mark.Error(
                50, $"Plugin '{entry.Name}' needs to be installed, but does not declare a source or package_name property");
        }

        _plugins[entry.Name] = plugin;
        result[entry.Name] = plugin.DeepClone();
    }

    private void ApplyImportedProperties(SectionEntry entry, JsonObject plugin)
    {
        if (_source.PluginImportProperties(entry.Key.Mark.File) is not { } given)
        {
            return;
        }

        var declared = plugin["properties"] as JsonObject ?? [];
        foreach (var (key, value) in given.Entries)
        {
            // The import's values are set before a namespace renames the plugin's properties (ns--name).
            var property = declared[key.Text] as JsonObject
                ?? declared.Where(p => Namespacer.StripNamespace(p.Key) == key.Text).Select(p => p.Value).OfType<JsonObject>().FirstOrDefault();
            if (property is null)
            {
                throw key.Mark.Error(221, $"Plugin '{entry.Name}' has no property '{key.Text}'");
            }

            property["value"] = value.ToJson();
        }
    }

    private static void PlanPlugins(JsonObject plan, JsonArray nodes)
    {
        var deployment = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var hostAgent = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var plugin in node!["deployment_plugins_to_install"]!.AsArray())
            {
                deployment[plugin!["name"]!.GetValue<string>()] = plugin;
            }

            if (node["plugins_to_install"] is JsonArray toInstall)
            {
                foreach (var plugin in toInstall)
                {
                    hostAgent[plugin!["name"]!.GetValue<string>()] = plugin;
                }
            }
        }

        plan["deployment_plugins_to_install"] = new JsonArray(deployment.Values.Select(p => p.DeepClone()).ToArray());
        plan["host_agent_plugins_to_install"] = new JsonArray(hostAgent.Values.Select(p => p.DeepClone()).ToArray());
    }
}
