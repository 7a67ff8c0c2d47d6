using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Stratus.Dsl.Tests.Fuzzing;

/// <summary>
/// Breaks a valid blueprint at random, the way hurried hands and hostile uploads do: structural edits on the YAML
/// tree (delete, duplicate, rename, retype, swap kinds, nest deeply, alias bombs, huge numbers, other versions) and
/// edits on the text (truncate, odd characters, lost or doubled lines). Every choice comes from one seeded random.
/// </summary>
internal sealed class BlueprintMutator(Random random)
{
    private static readonly string[] Keys =
    [
        "type", "derived_from", "properties", "relationships", "target", "interfaces", "inputs", "default", "instances",
        "deploy", "capabilities", "scalable", "members", "policies", "targets", "value", "implementation", "executor",
        "get_input", "get_property", "get_attribute", "concat", "merge", "get_secret", "required", "constraints",
        "node_templates", "node_types", "imports", "plugins", "workflows", "mapping", "parameters", "data_types",
        "groups", "outputs", "source_interfaces", "target_interfaces", "max_retries", "item_type", "hidden", "SELF",
        "cloudify.interfaces.lifecycle", "create", "default_instances", "min_instances", "max_instances", "package_name",
    ];

    private static readonly string[] Scalars =
    [
        "", "~", "null", "true", "no", "0", "-1", "1e309", "-0.0", ".nan", ".inf", "0x1F", "0o17", "1_000",
        "99999999999999999999999999999", "9223372036854775807", "-9223372036854775808", "2147483648", "1000000000",
        "SELF", "SOURCE", "TARGET", "cloudify.nodes.Root", "cloudify.nodes.Compute", "cloudify.relationships.contained_in",
        "cloudify.relationships.depends_on", "script.script_runner.tasks.run", "scripts/create.sh", "../../etc/passwd",
        "/etc/passwd", "http://localhost:1/x.yaml", "plugin:nothing", "string", "integer", "list", "dict", "regex",
        "[", "{a: 1}", "*x", "&x", "!!python/object:os.system", "%", "@", "`", "a\tb", "line1\nline2", "\u00e9", "\u0000",
        "cloudify_dsl_1_0", "cloudify_dsl_1_5", "cloudify_dsl_9_9", "tosca_simple_yaml_1_0", "host", "web", "port",
    ];

    private static readonly string[] Versions =
    [
        "cloudify_dsl_1_0", "cloudify_dsl_1_1", "cloudify_dsl_1_2", "cloudify_dsl_1_3", "cloudify_dsl_1_4", "cloudify_dsl_1_5",
        "cloudify_dsl_2_0", "cloudify_dsl_1_99", "cloudify_dsl_", "cloudify_dsl_a_b", "1.4", "",
    ];

    private static readonly string[] OddText =
    [
        "\t", ":", ": ", "{", "}", "[", "]", "&a", "*a", "!", "!!str ", "%YAML 1.1\n", "@", "`", "|", ">", "#", "-", "- ",
        "\"", "'", "\\", "\r", "\n", "\u0000", "\u00e9", "\ud83d\ude00", "\ufeff", "?", ",", "<<: ", "---\n", "...\n",
    ];

    public string Describe { get; private set; } = string.Empty;

    /// <summary>One to three mutations of <paramref name="yaml"/>; <see cref="Describe"/> says which.</summary>
    public string Mutate(string yaml)
    {
        var steps = new List<string>();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            yaml = random.Next(10) < 7 && TryLoad(yaml) is { } root ? MutateTree(root, steps) : MutateText(yaml, steps);
        }

        Describe = string.Join("; ", steps);
        return yaml;
    }

    private static YamlNode? TryLoad(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null;
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private string MutateTree(YamlNode root, List<string> steps)
    {
        var slots = new List<Slot>();
        Collect(root, null, null, 0, slots, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        var slot = slots[random.Next(slots.Count)];
        var op = random.Next(12);
        switch (op)
        {
            case 0 when slot.Parent is YamlMappingNode map && slot.Key is not null:
                map.Children.Remove(slot.Key);
                steps.Add($"delete key '{slot.Key}'");
                break;
            case 1 when slot.Parent is YamlMappingNode map && slot.Key is not null:
                var copyName = slot.Key + "_copy" + random.Next(100);
                map.Children[new YamlScalarNode(copyName)] = Clone(slot.Node);
                steps.Add($"duplicate '{slot.Key}' as '{copyName}'");
                break;
            case 2 when slot.Parent is YamlMappingNode map && slot.Key is not null:
                var renamed = Keys[random.Next(Keys.Length)];
                map.Children.Remove(slot.Key);
                if (!map.Children.ContainsKey(new YamlScalarNode(renamed)))
                {
                    map.Children[new YamlScalarNode(renamed)] = slot.Node;
                }

                steps.Add($"rename '{slot.Key}' to '{renamed}'");
                break;
            case 3:
                var tag = random.Next(4) == 0 ? "!!int" : null;
                Replace(slot, Scalar(tag), steps, "scalar");
                break;
            case 4:
                Replace(slot, new YamlSequenceNode(Clone(slot.Node), Scalar(null)), steps, "list");
                break;
            case 5:
                Replace(slot, new YamlMappingNode(new YamlScalarNode(Keys[random.Next(Keys.Length)]), Clone(slot.Node)), steps, "map");
                break;
            case 6:
                Replace(slot, Nested(1 + random.Next(random.Next(2) == 0 ? 40 : 3000)), steps, "deep nesting");
                break;
            case 7:
                Replace(slot, Bomb(3 + random.Next(7)), steps, "alias bomb");
                break;
            case 8:
                var huge = random.Next(3) switch
                {
                    0 => "1" + new string('0', 20 + random.Next(400)),
                    1 => random.NextInt64(1_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture),
                    _ => "-" + random.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture),
                };
                Replace(slot, new YamlScalarNode(huge), steps, $"huge number {huge[..Math.Min(12, huge.Length)]}");
                break;
            case 9 when root is YamlMappingNode top:
                var version = Versions[random.Next(Versions.Length)];
                top.Children[new YamlScalarNode("tosca_definitions_version")] = new YamlScalarNode(version);
                steps.Add($"version '{version}'");
                break;
            case 10:
                var donor = slots[random.Next(slots.Count)].Node;
                Replace(slot, Clone(donor), steps, "subtree from elsewhere");
                break;
            default:
                Replace(slot, Function(), steps, "intrinsic function");
                break;
        }

        return YamlWriter.Write(root);
    }

    private string MutateText(string yaml, List<string> steps)
    {
        if (yaml.Length == 0)
        {
            steps.Add("text: empty stays empty");
            return yaml;
        }

        var at = random.Next(yaml.Length + 1);
        var lines = yaml.Split('\n').ToList();
        var line = random.Next(lines.Count);
        switch (random.Next(5))
        {
            case 0:
                steps.Add($"truncate at {at}");
                return yaml[..at];
            case 1:
                var odd = OddText[random.Next(OddText.Length)];
                steps.Add($"insert {Visible(odd)} at {at}");
                return yaml.Insert(at, odd);
            case 2:
                steps.Add($"drop line {line + 1}");
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case 3:
                steps.Add($"double line {line + 1}");
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            default:
                var indent = random.Next(2) == 0 ? "  " : "\t";
                steps.Add($"indent line {line + 1} with {Visible(indent)}");
                lines[line] = indent + lines[line];
                return string.Join('\n', lines);
        }
    }

    private static void Replace(Slot slot, YamlNode replacement, List<string> steps, string what)
    {
        switch (slot.Parent)
        {
            case YamlMappingNode map when slot.Key is not null:
                map.Children[slot.Key] = replacement;
                steps.Add($"'{slot.Key}' := {what}");
                break;
            case YamlSequenceNode seq:
                seq.Children[slot.Index] = replacement;
                steps.Add($"item {slot.Index} := {what}");
                break;
            default:
                steps.Add($"root untouched ({what})");
                break;
        }
    }

    private YamlScalarNode Scalar(string? tag)
    {
        var value = random.Next(5) == 0 ? new string((char)random.Next(32, 127), random.Next(1, 10)) : Scalars[random.Next(Scalars.Length)];
        var node = new YamlScalarNode(value);
        if (tag is not null)
        {
            node.Tag = new YamlDotNet.Core.TagName("tag:yaml.org,2002:" + tag[2..]);
        }

        return node;
    }

    private YamlNode Nested(int depth)
    {
        YamlNode node = new YamlScalarNode("bottom");
        for (var i = 0; i < depth; i++)
        {
            node = random.Next(2) == 0 ? new YamlSequenceNode(node) : new YamlMappingNode(new YamlScalarNode("k"), node);
        }

        return node;
    }

    /// <summary>Billion laughs: each level lists the previous one ten times (shared, so it is written with anchors).</summary>
    private static YamlNode Bomb(int levels)
    {
        YamlNode node = new YamlScalarNode("lol");
        for (var i = 0; i < levels; i++)
        {
            node = new YamlSequenceNode(Enumerable.Repeat(node, 10));
        }

        return node;
    }

    private YamlMappingNode Function()
    {
        var name = new[] { "get_input", "get_property", "get_attribute", "concat", "merge", "get_secret", "get_capability", "string_replace", "string_split", "get_sys", "get_environment_capability", "get_label" }[random.Next(12)];
        YamlNode args = random.Next(4) switch
        {
            0 => Scalar(null),
            1 => new YamlSequenceNode(new YamlScalarNode("SELF"), Scalar(null)),
            2 => new YamlSequenceNode(Scalar(null), Scalar(null), new YamlMappingNode(new YamlScalarNode("get_input"), Scalar(null))),
            _ => new YamlSequenceNode(),
        };
        return new YamlMappingNode(new YamlScalarNode(name), args);
    }

    /// <summary>A copy that keeps sharing shared: a copied bomb is still a small tree of aliases.</summary>
    private static YamlNode Clone(YamlNode node, Dictionary<YamlNode, YamlNode>? copies = null)
    {
        copies ??= new Dictionary<YamlNode, YamlNode>(ReferenceEqualityComparer.Instance);
        if (copies.TryGetValue(node, out var done))
        {
            return done;
        }

        YamlNode copy = node switch
        {
            YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style, Tag = s.Tag },
            YamlSequenceNode q => new YamlSequenceNode(q.Children.Select(c => Clone(c, copies))),
            YamlMappingNode m => new YamlMappingNode(m.Children.Select(kv => new KeyValuePair<YamlNode, YamlNode>(Clone(kv.Key, copies), Clone(kv.Value, copies)))),
            _ => new YamlScalarNode("alias"),
        };
        copies[node] = copy;
        return copy;
    }

    /// <summary>Every place a node sits; a node shared through an alias is entered once, so a bomb stays cheap.</summary>
    private static void Collect(YamlNode node, YamlNode? parent, YamlNode? key, int index, List<Slot> slots, HashSet<YamlNode> seen)
    {
        slots.Add(new Slot(node, parent, key as YamlScalarNode, index));
        if (!seen.Add(node) || slots.Count > 5000)
        {
            return;
        }

        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children.ToList())
                {
                    Collect(v, map, k, 0, slots, seen);
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    Collect(seq.Children[i], seq, null, i, slots, seen);
                }

                break;
        }
    }

    private static string Visible(string text) => string.Concat(text.Select(c => c < 32 || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));

    private sealed record Slot(YamlNode Node, YamlNode? Parent, YamlScalarNode? Key, int Index);
}
