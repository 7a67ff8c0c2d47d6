using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

internal sealed partial class PlanBuilder
{
    private void BuildGroupsAndPolicies(JsonObject plan, JsonArray nodes)
    {
        var nodeNames = nodes.Select(n => n!["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        nodeNames.UnionWith(_errors.FailedNames("node_templates"));
        var groups = new JsonObject();
        var groupEntries = _source.Section("groups");
        var groupNames = groupEntries.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in groupEntries)
        {
            _errors.Run("groups", entry.Name, () =>
            {
                var what = $"group '{entry.Name}'";
                if (nodeNames.Contains(entry.Name))
                {
                    throw entry.Key.Mark.Error(211, $"Group '{entry.Name}' has the same name as a node template");
                }

                var map = Y.Map(entry.Value, what);
                Y.Keys(map, what, "members", "policies");
                var members = Y.ListOf(Y.Required(map, "members", what), $"members of {what}");
                if (members.Items.Count == 0)
                {
                    throw members.Mark.Error(1, $"At least one member should be specified for {what}");
                }

                foreach (var member in members.Items)
                {
                    var memberName = Y.String(member, $"member of {what}");
                    if (!nodeNames.Contains(memberName) && !groupNames.Contains(memberName))
                    {
                        throw member.Mark.Error(40, $"Member '{memberName}' of {what} does not match any node template or group");
                    }
                }

                var group = (JsonObject)map.ToJson()!;
                group["policies"] = MonitoringPolicies(map["policies"], entry.Name);
                groups[entry.Name] = group;
            });
        }

        var policies = new JsonObject();
        var scalingGroups = new JsonObject();
        foreach (var entry in _source.Section("policies"))
        {
            _errors.Run("policies", entry.Name, () =>
            {
                var what = $"policy '{entry.Name}'";
                var map = Y.Map(entry.Value, what);
                Y.Keys(map, what, "type", "targets", "properties");
                var typeNode = Y.Required(map, "type", what);
                if (Y.String(typeNode, $"type of {what}") != "cloudify.policies.scaling")
                {
                    throw typeNode.Mark.Error(204, $"Policy '{entry.Name}' has type '{Y.String(typeNode, "policy type")}', which is not implemented. Only 'cloudify.policies.scaling' policy type is supported");
                }

                var targets = Y.ListOf(Y.Required(map, "targets", what), $"targets of {what}");
                if (targets.Items.Count == 0)
                {
                    throw targets.Mark.Error(206, $"Policy '{entry.Name}' must have at least one target");
                }

                var props = Y.MapOrEmpty(map["properties"], $"properties of {what}", map.Mark);
                Y.Keys(props, $"properties of {what}", "default_instances", "min_instances", "max_instances");
                var deflt = Count(props["default_instances"], entry.Name) ?? 1L;
                var min = Count(props["min_instances"], entry.Name) ?? 0L;
                var max = Count(props["max_instances"], entry.Name, allowUnbounded: true) ?? -1L;
                ValidateCounts(deflt, min, max, entry.Name, props.Mark);
                var properties = new JsonObject
                {
                    ["default_instances"] = deflt,
                    ["min_instances"] = min,
                    ["max_instances"] = max,
                    ["current_instances"] = deflt.DeepClone(),
                    ["planned_instances"] = deflt.DeepClone(),
                };
                foreach (var target in targets.Items)
                {
                    var targetName = Y.String(target, $"target of {what}");
                    if (!groupNames.Contains(targetName))
                    {
                        throw target.Mark.Error(205, $"Policy '{entry.Name}' target '{targetName}' is not a group");
                    }

                    _errors.ThrowIfFailed("groups", targetName);
                    scalingGroups[targetName] = new JsonObject
                    {
                        ["members"] = groups[targetName]!["members"]!.DeepClone(),
                        ["properties"] = properties.DeepClone(),
                    };
                }

                policies[entry.Name] = new JsonObject
                {
                    ["type"] = "cloudify.policies.scaling",
                    ["properties"] = properties,
                    ["targets"] = targets.ToJson(),
                };
            });
        }

        // Scaling-group rules look at every member's containment; with a member missing they would misreport.
        if (!_errors.AnyFailed("node_templates") && !_errors.AnyFailed("groups") && !_errors.AnyFailed("policies"))
        {
            ValidateScalingGroups(scalingGroups, nodes);
        }

        plan["groups"] = groups;
        plan["policies"] = policies;
        plan["scaling_groups"] = scalingGroups;
    }

    /// <summary>Cloudify's scaling-group rules: no cycles (200), one group per member (201), a shared container (202).</summary>
    private void ValidateScalingGroups(JsonObject scalingGroups, JsonArray nodes)
    {
        var policyEntries = _source.Section("policies");
        var mark = policyEntries.Count > 0 ? policyEntries[0].Key.Mark : Mark.None;
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (group, body) in scalingGroups)
        {
            foreach (var member in body!["members"]!.AsArray().Select(m => m!.GetValue<string>()))
            {
                if (owner.TryGetValue(member, out var other))
                {
                    throw mark.Error(
                        201, $"Nodes and groups cannot be members in multiple groups, but member '{member}' belongs to the following multiple groups: ['{other}', '{group}']");
                }

                owner[member] = group;
            }
        }

        foreach (var group in scalingGroups.Select(g => g.Key))
        {
            var seen = new List<string> { group };
            for (var up = owner.GetValueOrDefault(group); up is not null; up = owner.GetValueOrDefault(up))
            {
                if (seen.Contains(up))
                {
                    throw mark.Error(200, $"Illegal group cycles found: [[{string.Join(", ", seen.Select(g => $"'{g}'"))}]]");
                }

                seen.Add(up);
            }
        }

        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var container = node!["relationships"]!.AsArray().FirstOrDefault(
                r => r!["type_hierarchy"]!.AsArray().Any(t => t!.GetValue<string>() == ContainedIn));
            if (container is not null)
            {
                containers[node["id"]!.GetValue<string>()] = container["target_id"]!.GetValue<string>();
            }
        }

        List<string> Chain(string node)
        {
            var chain = new List<string>();
            for (var up = containers.GetValueOrDefault(node); up is not null && chain.Count <= containers.Count; up = containers.GetValueOrDefault(up))
            {
                chain.Add(up);
            }

            return chain;
        }

        foreach (var (group, _) in scalingGroups)
        {
            var members = NodeMembers(group, scalingGroups, []);
            members = members.Where(m => !Chain(m).Any(members.Contains)).ToList();
            for (var i = 1; i < members.Count; i++)
            {
                var a = Chain(members[0]);
                var b = Chain(members[i]);
                if ((a.Count > 0 || b.Count > 0) && !a.Intersect(b).Any())
                {
                    throw mark.Error(
                        202, $"Node '{members[0]}' and '{members[i]}' belong to some shared group but they are not contained in any shared node, nor is any ancestor node of theirs.");
                }
            }
        }
    }

    /// <summary>Legacy monitoring policies of a group: types and triggers must exist, properties get their defaults.</summary>
    private JsonObject MonitoringPolicies(YNode? node, string group)
    {
        var result = new JsonObject();
        foreach (var (key, value) in Y.MapOrEmpty(node, $"policies of group '{group}'", Mark.None).Entries)
        {
            var what = $"policy '{key.Text}' of group '{group}'";
            var policy = Y.Map(value, what);
            Y.Keys(policy, what, "type", "properties", "triggers");
            var typeNode = Y.Required(policy, "type", what);
            var typeName = Y.String(typeNode, $"type of {what}");
            var policyType = _source.Find("policy_types", typeName)
                ?? throw typeNode.Mark.Error(41, $"Policy '{key.Text}' of group '{group}' references a non existent policy type '{typeName}'");
            var record = new JsonObject
            {
                ["type"] = typeName,
                ["properties"] = Properties(
                    policy["properties"], SchemaOf(policyType.Value, "properties"), group, policy.Mark,
                    (g, p) => $"group '{g}', policy '{key.Text}' '{p}' property is not part of the policy type properties schema",
                    (g, p) => $"group '{g}', policy '{key.Text}' does not provide a value for mandatory '{p}' property which is part of its policy type schema"),
            };
            var triggers = new JsonObject();
            foreach (var (triggerKey, triggerValue) in Y.MapOrEmpty(policy["triggers"], $"triggers of {what}", policy.Mark).Entries)
            {
                var triggerWhat = $"trigger '{triggerKey.Text}' of {what}";
                var trigger = Y.Map(triggerValue, triggerWhat);
                Y.Keys(trigger, triggerWhat, "type", "parameters");
                var triggerTypeNode = Y.Required(trigger, "type", triggerWhat);
                var triggerType = Y.String(triggerTypeNode, $"type of {triggerWhat}");
                var triggerDefinition = _source.Find("policy_triggers", triggerType)
                    ?? throw triggerTypeNode.Mark.Error(
                        42, $"Trigger '{triggerKey.Text}' of policy '{key.Text}' of group '{group}' references a non existent policy trigger '{triggerType}'");
                triggers[triggerKey.Text] = new JsonObject
                {
                    ["type"] = triggerType,
                    ["parameters"] = Properties(
                        trigger["parameters"], SchemaOf(triggerDefinition.Value, "parameters"), group, trigger.Mark,
                        (g, p) => $"group '{g}', policy '{key.Text}' trigger '{triggerKey.Text}' '{p}' property is not part of the policy type properties schema",
                        (g, p) => $"group '{g}', policy '{key.Text}' trigger '{triggerKey.Text}' does not provide a value for mandatory '{p}' property which is part of its policy type schema"),
                };
            }

            record["triggers"] = triggers;
            result[key.Text] = record;
        }

        return result;
    }

    private static Dictionary<string, JsonObject> SchemaOf(YNode definition, string key) =>
        TypeResolver.ParseSchema(definition is YMap map ? map[key] : null, key, definition.Mark)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static List<string> NodeMembers(string group, JsonObject scalingGroups, HashSet<string> visited)
    {
        var result = new List<string>();
        if (!visited.Add(group))
        {
            return result;
        }

        foreach (var member in scalingGroups[group]!["members"]!.AsArray().Select(m => m!.GetValue<string>()))
        {
            if (scalingGroups.ContainsKey(member))
            {
                result.AddRange(NodeMembers(member, scalingGroups, visited));
            }
            else
            {
                result.Add(member);
            }
        }

        return result;
    }
}
