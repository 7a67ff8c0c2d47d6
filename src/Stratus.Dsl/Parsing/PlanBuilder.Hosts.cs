using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private static void AssignHosts(
        List<JsonObject> nodes, Dictionary<string, string> containers, Dictionary<string, bool> hostTypes,
        Dictionary<string, SectionEntry> byName)
    {
        var hosts = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? HostOf(string name, int depth)
        {
            if (hosts.TryGetValue(name, out var known))
            {
                return known;
            }

            if (depth > nodes.Count)
            {
                throw byName[name].Key.Mark.Error(100, $"Failed parsing node '{name}': circular contained_in relationships");
            }

            var host = hostTypes[name] ? name : containers.TryGetValue(name, out var container) ? HostOf(container, depth + 1) : null;
            hosts[name] = host;
            return host;
        }

        foreach (var node in nodes)
        {
            var name = node["id"]!.GetValue<string>();
            if (HostOf(name, 0) is { } host)
            {
                node["host_id"] = host;
            }
        }
    }

    private void AssignPlugins(List<JsonObject> nodes, Dictionary<string, bool> hostTypes)
    {
        var byName = nodes.ToDictionary(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var operationSets = nodes.ToDictionary(n => n["id"]!.GetValue<string>(), n => new List<JsonObject> { n["operations"]!.AsObject() }, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var rel in node["relationships"]!.AsArray())
            {
                operationSets[node["id"]!.GetValue<string>()].Add(rel!["source_operations"]!.AsObject());
                operationSets[rel["target_id"]!.GetValue<string>()].Add(rel["target_operations"]!.AsObject());
            }
        }

        foreach (var node in nodes)
        {
            var plugins = new Dictionary<(string, string?), JsonObject>();
            foreach (var ops in operationSets[node["id"]!.GetValue<string>()])
            {
                foreach (var (_, op) in ops)
                {
                    var plugin = op!["plugin"]!.GetValue<string>();
                    if (plugin.Length == 0)
                    {
                        continue;
                    }

                    var executor = op["executor"]?.GetValue<string>();
                    if (!plugins.ContainsKey((plugin, executor)))
                    {
                        var copy = (JsonObject)_plugins[plugin].DeepClone();
                        copy["executor"] = executor;
                        plugins[(plugin, executor)] = copy;
                    }
                }
            }

            node["plugins"] = new JsonArray(plugins.Values.Select(p => (JsonNode?)p).ToArray());
        }

        var hosted = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node["host_id"]?.GetValue<string>() is { } host)
            {
                if (!hosted.TryGetValue(host, out var list))
                {
                    list = [];
                    hosted[host] = list;
                }

                list.Add(node);
            }
            else
            {
                foreach (var plugin in node["plugins"]!.AsArray())
                {
                    if (plugin!["executor"]?.GetValue<string>() == "host_agent")
                    {
                        var at = _source.Find("node_templates", node["id"]!.GetValue<string>())?.Key.Mark ?? Mark.None;
                        throw at.Error(
                            24, $"node '{node["id"]}' has no relationship which makes it contained within a host and it has a plugin '{plugin["name"]}' with 'host_agent' as an executor. These types of plugins must be installed on a host");
                    }
                }
            }
        }

        foreach (var node in nodes)
        {
            var name = node["id"]!.GetValue<string>();
            if (hostTypes[name])
            {
                var toInstall = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
                foreach (var other in hosted.GetValueOrDefault(name) ?? [])
                {
                    foreach (var plugin in other["plugins"]!.AsArray())
                    {
                        if (plugin!["executor"]?.GetValue<string>() == "host_agent")
                        {
                            toInstall[plugin["name"]!.GetValue<string>()] = plugin.DeepClone();
                        }
                    }
                }

                node["plugins_to_install"] = new JsonArray(toInstall.Values.ToArray());
            }

            var deployment = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var plugin in node["plugins"]!.AsArray())
            {
                if (plugin!["executor"]?.GetValue<string>() == "central_deployment_agent")
                {
                    deployment[plugin["name"]!.GetValue<string>()] = plugin.DeepClone();
                }
            }

            node["deployment_plugins_to_install"] = new JsonArray(deployment.Values.ToArray());
        }

        _ = byName;
    }
}
