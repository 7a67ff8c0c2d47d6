using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Planning;

/// <summary>
/// Cloudify's <c>modify_deployment</c>: the stored instances are put back on the plan tree (parents through their
/// contained_in relationship and their scaling groups), each modified node or group gets its new count per parent
/// instance (new ones with their whole contained subtree, removed ones taken with theirs, chosen by the include and
/// exclude hints, then newest first), connected_to/depends_on links are worked out again (all_to_one keeps its
/// target), and the differences are listed as Cloudify lists them.
/// </summary>
internal sealed partial class InstanceExpander
{
    private JsonObject _modifiedNodes = [];
    private readonly Dictionary<(string Source, string Target, string Type), HashSet<string>> _previousOneTargets = [];
    private readonly Dictionary<string, List<string>> _groupMembers = new(StringComparer.Ordinal);

    public DeploymentModificationPlan Modify(JsonArray nodes, JsonObject scalingGroups, IReadOnlyList<JsonObject> previous, JsonObject modifiedNodes)
    {
        BuildPlanTree(nodes, scalingGroups);
        _modifiedNodes = modifiedNodes;
        foreach (var (name, spec) in modifiedNodes)
        {
            if (!_vertices.ContainsKey(name))
            {
                throw new DeploymentPlanException("bad_parameters_error", $"'{name}' is neither a node nor a scaling group of this deployment");
            }

            if (!TryCount(spec?["instances"], out var n) || n < 0)
            {
                throw new DeploymentPlanException(
                    "bad_parameters_error", $"'instances' of '{name}' must be a non-negative integer, found {Python.Repr(spec?["instances"])}");
            }
        }

        var stored = Seed(previous);
        foreach (var vertex in _vertices.Values.Where(v => v.Parent is null).ToList())
        {
            Adjust(vertex, null);
        }

        var surviving = new Dictionary<string, Instance>(StringComparer.Ordinal);
        foreach (var vertex in _nodeOrder)
        {
            foreach (var instance in vertex.Instances)
            {
                surviving[instance.Id] = instance;
            }
        }

        var newJson = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var vertex in _nodeOrder)
        {
            foreach (var instance in vertex.Instances)
            {
                newJson[instance.Id] = ToJson(vertex, instance);
            }
        }

        var added = newJson.Where(kv => surviving[kv.Key].Stored is null).Select(kv => kv.Value).ToList();
        var removed = stored.Values.Where(i => !surviving.ContainsKey(i.Id)).ToList();
        var oldRels = stored.Values.ToDictionary(i => i.Id, i => Relationships(i.Stored!), StringComparer.Ordinal);
        var newRels = newJson.ToDictionary(kv => kv.Key, kv => Relationships(kv.Value), StringComparer.Ordinal);
        var addedIds = added.Select(a => Id(a)).ToHashSet(StringComparer.Ordinal);
        var removedIds = removed.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        return new DeploymentModificationPlan
        {
            AddedAndRelated = Changed(added.Select(a => Tagged(a, "added")), addedIds, newRels, stored, newJson),
            RemovedAndRelated = Changed(removed.Select(r => Tagged(r.Stored!, "removed")), removedIds, oldRels, stored, newJson),
            ExtendedAndRelated = RelationshipDiff(newRels, oldRels, addedIds, "extended", stored, newJson),
            ReducedAndRelated = RelationshipDiff(oldRels, newRels, removedIds, "reduced", stored, newJson),
        };
    }

    private long CountOf(Vertex vertex) => TryCount(_modifiedNodes[vertex.Name]?["instances"], out var n) ? n : vertex.Count;

    private static bool TryCount(JsonNode? node, out long count)
    {
        count = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out count))
        {
            return true;
        }

        if (v.TryGetValue<int>(out var i))
        {
            count = i;
            return true;
        }

        return false;
    }

    private string? OneTarget(string source, string target, string type, List<Instance> targets)
    {
        if (_previousOneTargets.TryGetValue((source, target, type), out var known))
        {
            return known.Count == 1
                ? known.First()
                : throw Error("IllegalAllToOneState", $"Expected exactly one target id for relationship {source}->{target} of type '{type}'");
        }

        return targets.Count > 0 ? targets.Select(t => t.Id).Min(StringComparer.Ordinal) : null;
    }

    /// <summary>Puts the stored instances (and the group instances named in their scaling_groups) on the plan tree.</summary>
    private Dictionary<string, Instance> Seed(IReadOnlyList<JsonObject> previous)
    {
        var byId = new Dictionary<string, Instance>(StringComparer.Ordinal);
        foreach (var json in previous)
        {
            var id = Id(json);
            var nodeId = Text(json, "node_id") ?? throw Error("DSLParsingLogicException", $"node instance '{id}' has no node_id");
            if (!_vertices.TryGetValue(nodeId, out var vertex) || vertex.IsGroup)
            {
                throw Error("DSLParsingLogicException", $"node instance '{id}' belongs to unknown node '{nodeId}'");
            }

            _ids.Add(id);
            var instance = new Instance(id, vertex, null, null, Text(json, "host_id")) { Stored = json };
            byId[id] = instance;
            vertex.Instances.Add(instance);
            foreach (var group in (json["scaling_groups"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Text(group, "id") is { } groupId)
                {
                    if (!_groupMembers.TryGetValue(groupId, out var members))
                    {
                        _groupMembers[groupId] = members = [];
                    }

                    members.Add(id);
                }
            }

            foreach (var rel in Relationships(json))
            {
                if (_vertices.TryGetValue(Text(rel, "target_name") ?? "", out var targetVertex) && rel["type"] is JsonValue t && Text(rel, "target_id") is { } tid)
                {
                    var key = (nodeId, targetVertex.Name, t.GetValue<string>());
                    if (!_previousOneTargets.TryGetValue(key, out var set))
                    {
                        _previousOneTargets[key] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(tid);
                }
            }
        }

        var groups = new Dictionary<string, Instance>(StringComparer.Ordinal);
        foreach (var instance in byId.Values)
        {
            var json = instance.Stored!;
            var scaling = (json["scaling_groups"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            Instance? child = instance;
            var up = instance.Vertex.Parent;
            var k = 0;
            while (up is not null && child is not null)
            {
                Instance? parent;
                if (up.IsGroup)
                {
                    var entry = scaling.ElementAtOrDefault(k++);
                    var groupId = entry is null ? null : Text(entry, "id");
                    if (groupId is null || Text(entry!, "name") != up.Name)
                    {
                        throw Error("DSLParsingLogicException", $"node instance '{instance.Id}' does not name its instance of scaling group '{up.Name}'");
                    }

                    var isNew = !groups.TryGetValue(groupId, out parent);
                    if (isNew)
                    {
                        _ids.Add(groupId);
                        parent = new Instance(groupId, up, null, null, null) { Stored = new JsonObject { ["id"] = groupId } };
                        groups[groupId] = parent;
                        up.Instances.Add(parent);
                    }

                    child.Parent = parent;
                    child = isNew ? parent : null;
                }
                else
                {
                    var rel = Relationships(json).FirstOrDefault(r => Text(r, "target_name") == up.Name);
                    parent = rel is not null && Text(rel, "target_id") is { } targetId ? byId.GetValueOrDefault(targetId) : null;
                    if (parent is null)
                    {
                        throw Error("DSLParsingLogicException", $"node instance '{instance.Id}' is not contained in an instance of '{up.Name}'");
                    }

                    child.Parent = parent;
                    child = null;
                }

                up = up.Parent;
            }
        }

        foreach (var instance in byId.Values)
        {
            var real = instance.Parent;
            while (real is { Vertex.IsGroup: true })
            {
                real = real.Parent;
            }

            instance.RealParent = real;
        }

        return byId;
    }

    /// <summary>Brings <paramref name="vertex"/>'s instances under <paramref name="parent"/> to their new count, then its children.</summary>
    private void Adjust(Vertex vertex, Instance? parent)
    {
        var mine = vertex.Instances.Where(i => ReferenceEquals(i.Parent, parent)).ToList();
        var modified = _modifiedNodes[vertex.Name] as JsonObject;
        var target = CountOf(vertex);
        if (mine.Count < target)
        {
            Create(vertex, parent, target - mine.Count);
        }
        else if (modified is not null && mine.Count > target)
        {
            foreach (var gone in ChooseRemoved(mine, (int)(mine.Count - target), modified))
            {
                RemoveSubtree(gone);
                mine.Remove(gone);
            }
        }

        foreach (var instance in mine)
        {
            foreach (var child in vertex.Children)
            {
                Adjust(child, instance);
            }
        }
    }

    private List<Instance> ChooseRemoved(List<Instance> candidates, int count, JsonObject modified)
    {
        var ids = candidates.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var include = Hints(modified["removed_ids_include_hint"], ids);
        var exclude = Hints(modified["removed_ids_exclude_hint"], ids);
        var chosen = new List<Instance>();
        foreach (var id in include)
        {
            if (chosen.Count < count && candidates.FirstOrDefault(c => c.Id == id) is { } c && !chosen.Contains(c))
            {
                chosen.Add(c);
            }
        }

        // Cloudify takes the rest in no particular order; newest first keeps the oldest instances.
        foreach (var c in Enumerable.Reverse(candidates).Where(c => !exclude.Contains(c.Id)).Concat(Enumerable.Reverse(candidates)))
        {
            if (chosen.Count >= count)
            {
                break;
            }

            if (!chosen.Contains(c))
            {
                chosen.Add(c);
            }
        }

        return chosen;
    }

    /// <summary>Hint ids among the candidates, or the candidate group instances a hinted member belongs to.</summary>
    private List<string> Hints(JsonNode? hint, HashSet<string> candidates)
    {
        var raw = hint switch
        {
            JsonArray a => a.Select(h => h is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).OfType<string>().ToList(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            _ => [],
        };
        var result = new List<string>();
        foreach (var id in raw)
        {
            if (candidates.Contains(id))
            {
                result.Add(id);
                continue;
            }

            result.AddRange(_groupMembers.Where(g => g.Value.Contains(id) && candidates.Contains(g.Key)).Select(g => g.Key));
        }

        return result;
    }

    private static void RemoveSubtree(Instance instance)
    {
        instance.Vertex.Instances.Remove(instance);
        foreach (var child in instance.Vertex.Children)
        {
            foreach (var sub in child.Instances.Where(i => ReferenceEquals(i.Parent, instance)).ToList())
            {
                RemoveSubtree(sub);
            }
        }
    }

    /// <summary>
    /// The changed instances tagged, then the untouched instances they relate to: the targets of their relationships
    /// (with no relationships listed) and the instances with relationships to them (listing just those).
    /// </summary>
    private static JsonArray Changed(
        IEnumerable<JsonObject> changed,
        HashSet<string> changedIds,
        Dictionary<string, List<JsonObject>> relationships,
        Dictionary<string, Instance> stored,
        Dictionary<string, JsonObject> current)
    {
        var result = new JsonArray();
        var related = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var item in changed)
        {
            result.Add(item);
            foreach (var rel in Relationships(item))
            {
                if (Text(rel, "target_id") is { } t && !changedIds.Contains(t) && !related.ContainsKey(t))
                {
                    related[t] = [];
                }
            }
        }

        foreach (var (id, rels) in relationships)
        {
            if (changedIds.Contains(id))
            {
                continue;
            }

            var toChanged = rels.Where(r => Text(r, "target_id") is { } t && changedIds.Contains(t)).ToList();
            if (toChanged.Count > 0)
            {
                if (!related.TryGetValue(id, out var list))
                {
                    related[id] = list = [];
                }

                list.AddRange(toChanged);
            }
        }

        foreach (var (id, rels) in related)
        {
            result.Add(Related(id, rels, stored, current, null));
        }

        return result;
    }

    /// <summary>Untouched instances that gained (or lost) relationships to other untouched instances.</summary>
    private static JsonArray RelationshipDiff(
        Dictionary<string, List<JsonObject>> from,
        Dictionary<string, List<JsonObject>> against,
        HashSet<string> skip,
        string tag,
        Dictionary<string, Instance> stored,
        Dictionary<string, JsonObject> current)
    {
        var result = new JsonArray();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, rels) in from)
        {
            if (skip.Contains(id) || !against.TryGetValue(id, out var other))
            {
                continue;
            }

            var known = other.Select(r => Text(r, "target_id")).ToHashSet(StringComparer.Ordinal);
            var diff = rels.Where(r => Text(r, "target_id") is { } t && !known.Contains(t) && !skip.Contains(t)).ToList();
            if (diff.Count > 0)
            {
                result.Add(Related(id, diff, stored, current, tag));
                targets.UnionWith(diff.Select(r => Text(r, "target_id")!));
            }
        }

        foreach (var t in targets.Where(t => !result.Any(r => Id(r!.AsObject()) == t)))
        {
            result.Add(Related(t, [], stored, current, null));
        }

        return result;
    }

    private static JsonObject Related(string id, List<JsonObject> relationships, Dictionary<string, Instance> stored, Dictionary<string, JsonObject> current, string? tag)
    {
        var source = stored.TryGetValue(id, out var s) ? s.Stored! : current[id];
        var copy = source.DeepClone().AsObject();
        copy["relationships"] = new JsonArray([.. relationships.Select(r => r.DeepClone())]);
        if (tag is not null)
        {
            copy["modification"] = tag;
        }

        return copy;
    }

    private static JsonObject Tagged(JsonObject instance, string tag)
    {
        var copy = instance.DeepClone().AsObject();
        copy["modification"] = tag;
        return copy;
    }

    private static List<JsonObject> Relationships(JsonObject instance) => [.. (instance["relationships"] as JsonArray ?? []).OfType<JsonObject>()];

    private static string Id(JsonObject instance) => Text(instance, "id") ?? throw Error("DSLParsingLogicException", "a node instance has no id");

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
