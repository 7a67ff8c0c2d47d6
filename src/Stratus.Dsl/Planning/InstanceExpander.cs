using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Planning;

/// <summary>
/// Expands plan nodes into node instances (Cloudify's rel_graph): contained nodes multiply per container instance,
/// members of a scaling group multiply per group instance, host_id is the nearest host instance, and
/// connected_to/depends_on link all_to_all or all_to_one (within the same group instance when both ends share a group).
/// </summary>
internal sealed partial class InstanceExpander
{
    private const string ContainedIn = "cloudify.relationships.contained_in";
    private const string DependsOn = "cloudify.relationships.depends_on";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int SuffixLength = 6;

    private readonly Random _random;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Vertex> _vertices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RelationshipLink>> _links = new(StringComparer.Ordinal);
    private readonly List<Vertex> _nodeOrder = [];

    private readonly long _maxInstances;
    private long _created;

    public InstanceExpander(Random random, long maxInstances = PlannerOptions.DefaultMaxNodeInstances)
    {
        _random = random;
        _maxInstances = maxInstances;
    }

    public JsonArray Expand(JsonArray nodes, JsonObject scalingGroups)
    {
        BuildPlanTree(nodes, scalingGroups);
        foreach (var vertex in _vertices.Values.Where(v => v.Parent is null).ToList())
        {
            Create(vertex, null);
        }

        var result = new JsonArray();
        foreach (var vertex in _nodeOrder)
        {
            foreach (var instance in vertex.Instances)
            {
                result.Add(ToJson(vertex, instance));
            }
        }

        return result;
    }

    private void BuildPlanTree(JsonArray nodes, JsonObject scalingGroups)
    {
        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes.Select(n => n!.AsObject()))
        {
            var id = node["id"]!.GetValue<string>();
            var vertex = new Vertex(id, node, CountOf(node["capabilities"]?["scalable"]?["properties"], $"node '{id}'"));
            _vertices[id] = vertex;
            _nodeOrder.Add(vertex);
            if (ContainerOf(node) is { } container)
            {
                containers[id] = container;
            }
        }

        var memberOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (groupName, group) in scalingGroups)
        {
            _vertices[groupName] = new Vertex(groupName, null, CountOf(group?["properties"], $"scaling group '{groupName}'"));
            foreach (var member in group?["members"]?.AsArray() ?? [])
            {
                memberOf[member!.GetValue<string>()] = groupName;
            }
        }

        // A node contained (transitively) in another member of its group scales with that container.
        foreach (var (member, group) in memberOf.ToList())
        {
            var up = containers.GetValueOrDefault(member);
            var guard = 0;
            while (up is not null && guard++ < _vertices.Count)
            {
                if (memberOf.GetValueOrDefault(up) == group)
                {
                    memberOf.Remove(member);
                    break;
                }

                up = containers.GetValueOrDefault(up);
            }
        }

        foreach (var vertex in _vertices.Values)
        {
            if (memberOf.TryGetValue(vertex.Name, out var group))
            {
                vertex.Parent = _vertices[group];
                if (containers.TryGetValue(vertex.Name, out var container))
                {
                    var top = _vertices[group];
                    var guard = 0;
                    while (memberOf.TryGetValue(top.Name, out var outer) && guard++ < _vertices.Count)
                    {
                        top = _vertices[outer];
                    }

                    if (top.Parent is not null && top.Parent.Name != container)
                    {
                        throw Error("GroupMembersNotSharingContainer", $"members of scaling group '{top.Name}' are contained in different nodes");
                    }

                    top.Parent = _vertices[container];
                }
            }
            else if (containers.TryGetValue(vertex.Name, out var container))
            {
                vertex.Parent = _vertices[container];
            }
        }

        foreach (var vertex in _vertices.Values)
        {
            vertex.Parent?.Children.Add(vertex);
        }
    }

    /// <summary>
    /// Cloudify's node graph has one edge per pair of nodes: of several relationships to the same target, the last
    /// declared replaces the others (even a contained_in), keeping its place.
    /// </summary>
    private static IEnumerable<JsonNode?> Effective(JsonObject node)
    {
        var relationships = node["relationships"]!.AsArray();
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < relationships.Count; i++)
        {
            last[relationships[i]!["target_id"]!.GetValue<string>()] = i;
        }

        return relationships.Where((rel, i) => last[rel!["target_id"]!.GetValue<string>()] == i);
    }

    private static string? ContainerOf(JsonObject node)
    {
        foreach (var rel in Effective(node))
        {
            if (rel!["type_hierarchy"]!.AsArray().Any(t => t!.GetValue<string>() == ContainedIn))
            {
                return rel["target_id"]!.GetValue<string>();
            }
        }

        return null;
    }

    private static long CountOf(JsonNode? properties, string what)
    {
        var value = properties?["current_instances"];
        if (TryCount(value, out var n) && n >= 0)
        {
            return n;
        }

        throw Error("DSLParsingLogicException", $"the number of instances of {what} must be a non-negative integer, found {Python.Repr(value)}");
    }

    private static DeploymentPlanException Error(string kind, string message) =>
        new("deployment_creation_error", $"dsl_parser.exceptions.{kind}: {message}");

    private void Create(Vertex vertex, Instance? parent) => Create(vertex, parent, vertex.Count);

    private void Create(Vertex vertex, Instance? parent, long count)
    {
        for (var i = 0; i < count; i++)
        {
            if (++_created > _maxInstances)
            {
                throw Error("DSLParsingLogicException", $"the deployment would have more than {_maxInstances} node instances (at node '{vertex.Name}')");
            }

            var id = NewId(vertex.Name);
            var realParent = parent;
            while (realParent is { Vertex.IsGroup: true })
            {
                realParent = realParent.Parent;
            }

            string? hostId = null;
            if (vertex.Node?["host_id"]?.GetValue<string>() is { } host)
            {
                hostId = host == vertex.Name ? id : realParent?.HostId;
            }

            var instance = new Instance(id, vertex, parent, realParent, hostId);
            vertex.Instances.Add(instance);
            foreach (var child in vertex.Children)
            {
                Create(child, instance, CountOf(child));
            }
        }
    }

    private string NewId(string name)
    {
        Span<char> suffix = stackalloc char[SuffixLength];
        while (true)
        {
            for (var i = 0; i < SuffixLength; i++)
            {
                suffix[i] = Alphabet[_random.Next(Alphabet.Length)];
            }

            var id = $"{name}_{suffix}";
            if (_ids.Add(id))
            {
                return id;
            }
        }
    }

    private JsonObject ToJson(Vertex vertex, Instance instance)
    {
        var relationships = new JsonArray();
        foreach (var rel in RelationshipsOf(vertex))
        {
            switch (rel.Kind)
            {
                case LinkKind.Container:
                    relationships.Add(Link(rel.Type, rel.Target, instance.RealParent!.Id));
                    break;
                case LinkKind.One:
                    if (rel.OneTargetId is not null)
                    {
                        relationships.Add(Link(rel.Type, rel.Target, rel.OneTargetId));
                    }

                    break;
                default:
                    var groupInstance = rel.Shared is null ? null : AncestorOf(instance, rel.Shared);
                    foreach (var t in _vertices[rel.Target].Instances)
                    {
                        if (groupInstance is null || AncestorOf(t, rel.Shared!) == groupInstance)
                        {
                            relationships.Add(Link(rel.Type, rel.Target, t.Id));
                        }
                    }

                    break;
            }
        }

        var result = new JsonObject
        {
            ["id"] = instance.Id,
            ["name"] = vertex.Name,
            ["node_id"] = vertex.Name,
        };
        if (instance.HostId is not null)
        {
            result["host_id"] = instance.HostId;
        }

        result["relationships"] = relationships;
        if (instance.Parent is { Vertex.IsGroup: true })
        {
            var groups = new JsonArray();
            for (var up = instance.Parent; up is { Vertex.IsGroup: true }; up = up.Parent)
            {
                groups.Add(new JsonObject { ["name"] = up.Vertex.Name, ["id"] = up.Id });
            }

            result["scaling_groups"] = groups;
        }

        return result;
    }

    private enum LinkKind
    {
        Container,
        All,
        One,
    }

    private sealed record RelationshipLink(string Type, string Target, LinkKind Kind, Vertex? Shared, string? OneTargetId);

    /// <summary>A node's relationships, worked out once for all its instances (types, targets, shared group).</summary>
    private List<RelationshipLink> RelationshipsOf(Vertex vertex)
    {
        if (_links.TryGetValue(vertex.Name, out var known))
        {
            return known;
        }

        var links = new List<RelationshipLink>();
        foreach (var rel in Effective(vertex.Node!))
        {
            var type = rel!["type"]!.GetValue<string>();
            var hierarchy = rel["type_hierarchy"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            var target = rel["target_id"]!.GetValue<string>();
            if (hierarchy.Contains(ContainedIn))
            {
                links.Add(new RelationshipLink(type, target, LinkKind.Container, null, null));
                continue;
            }

            if (!hierarchy.Contains(DependsOn))
            {
                throw Error("UnsupportedRelationship", $"relationship type '{type}' of node '{vertex.Name}' is not derived from {DependsOn}");
            }

            var connection = rel["properties"]?["connection_type"];
            var connectionType = connection?.GetValueKind() == JsonValueKind.String ? connection.GetValue<string>() : null;
            var targets = _vertices[target].Instances;
            var shared = MinimalSharedGroup(vertex, _vertices[target]);
            links.Add(connectionType switch
            {
                "all_to_all" => new RelationshipLink(type, target, LinkKind.All, shared, null),
                "all_to_one" when shared is not null => throw Error(
                    "UnsupportedAllToOneInGroup",
                    $"'all_to_one' connection type is not supported within groups, but the source node '{vertex.Name}' and target node '{target}' are both in group '{shared.Name}'"),
                "all_to_one" => new RelationshipLink(type, target, LinkKind.One, null, OneTarget(vertex.Name, target, type, targets)),
                _ => throw Error(
                    "IllegalConnectedToConnectionType",
                    $"connection_type '{connectionType}' of a relationship of node '{vertex.Name}' is not one of all_to_all, all_to_one"),
            });
        }

        _links[vertex.Name] = links;
        return links;
    }

    private static Vertex? MinimalSharedGroup(Vertex a, Vertex b)
    {
        var bGroups = new HashSet<Vertex>(ReferenceEqualityComparer.Instance);
        for (var up = b.Parent; up is not null; up = up.Parent)
        {
            if (up.IsGroup)
            {
                bGroups.Add(up);
            }
        }

        for (var up = a.Parent; up is not null; up = up.Parent)
        {
            if (up.IsGroup && bGroups.Contains(up))
            {
                return up;
            }
        }

        return null;
    }

    private static Instance? AncestorOf(Instance instance, Vertex group)
    {
        for (var up = instance.Parent; up is not null; up = up.Parent)
        {
            if (ReferenceEquals(up.Vertex, group))
            {
                return up;
            }
        }

        return null;
    }

    private static JsonObject Link(string type, string targetName, string targetId) => new()
    {
        ["type"] = type,
        ["target_name"] = targetName,
        ["target_id"] = targetId,
    };

    private sealed class Vertex(string name, JsonObject? node, long count)
    {
        public string Name { get; } = name;

        public JsonObject? Node { get; } = node;

        public bool IsGroup => Node is null;

        public long Count { get; } = count;

        public Vertex? Parent { get; set; }

        public List<Vertex> Children { get; } = [];

        public List<Instance> Instances { get; } = [];
    }

    private sealed class Instance(string id, Vertex vertex, Instance? parent, Instance? realParent, string? hostId)
    {
        public string Id { get; } = id;

        public Vertex Vertex { get; } = vertex;

        public Instance? Parent { get; set; } = parent;

        public Instance? RealParent { get; set; } = realParent;

        public string? HostId { get; } = hostId;

        /// <summary>The stored instance this one was read from (a modification); null for a new one.</summary>
        public JsonObject? Stored { get; init; }
    }
}
