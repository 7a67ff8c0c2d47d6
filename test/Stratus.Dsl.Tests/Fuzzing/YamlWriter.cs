using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stratus.Dsl.Tests.Fuzzing;

/// <summary>
/// Writes a YAML tree in block style, a node met twice as an anchor and its aliases. YamlDotNet's own Save hashes
/// nodes structurally to place anchors, which takes exponential time on an alias bomb; this walks each node once.
/// </summary>
internal static partial class YamlWriter
{
    public static string Write(YamlNode root)
    {
        var counts = new Dictionary<YamlNode, int>(ReferenceEqualityComparer.Instance);
        Count(root, counts);
        var state = new State(counts);
        var text = new StringBuilder();
        Node(root, 0, text, state);
        return text.ToString();
    }

    private static void Count(YamlNode node, Dictionary<YamlNode, int> counts)
    {
        counts[node] = counts.GetValueOrDefault(node) + 1;
        if (counts[node] > 1)
        {
            return;
        }

        var children = node switch
        {
            YamlSequenceNode seq => seq.Children,
            YamlMappingNode map => map.Children.Values,
            _ => (IEnumerable<YamlNode>)[],
        };
        foreach (var child in children)
        {
            Count(child, counts);
        }
    }

    /// <summary>Writes <paramref name="node"/> as the value after "key:" or "-" (the caller wrote no newline yet).</summary>
    private static void Node(YamlNode node, int indent, StringBuilder text, State state)
    {
        if (state.Anchors.TryGetValue(node, out var alias))
        {
            text.Append(" *").Append(alias).Append('\n');
            return;
        }

        if (state.Counts[node] > 1)
        {
            alias = "a" + state.Anchors.Count.ToString(CultureInfo.InvariantCulture);
            state.Anchors[node] = alias;
            text.Append(" &").Append(alias);
        }

        var pad = new string(' ', indent);
        switch (node)
        {
            case YamlMappingNode { Children.Count: 0 }:
                text.Append(" {}\n");
                break;
            case YamlSequenceNode { Children.Count: 0 }:
                text.Append(" []\n");
                break;
            case YamlMappingNode map:
                text.Append('\n');
                foreach (var (key, value) in map.Children)
                {
                    text.Append(pad).Append(Scalar(key as YamlScalarNode ?? new YamlScalarNode("key"))).Append(':');
                    Node(value, indent + 2, text, state);
                }

                break;
            case YamlSequenceNode seq:
                text.Append('\n');
                foreach (var item in seq.Children)
                {
                    text.Append(pad).Append('-');
                    Node(item, indent + 2, text, state);
                }

                break;
            case YamlScalarNode scalar:
                text.Append(' ').Append(Scalar(scalar)).Append('\n');
                break;
            default:
                text.Append(" ~\n");
                break;
        }
    }

    private static string Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? string.Empty : "!!" + scalar.Tag.Value.Split(':')[^1] + " ";
        var plain = scalar.Style is ScalarStyle.Any or ScalarStyle.Plain && PlainSafe().IsMatch(value);
        if (plain)
        {
            return tag + value;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when c < 32 || c > 126 => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return tag + quoted.Append('"');
    }

    [GeneratedRegex(@"^(?!-( |$))[A-Za-z0-9_.~/+\-][A-Za-z0-9_.~/+\- ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();

    private sealed class State(Dictionary<YamlNode, int> counts)
    {
        public Dictionary<YamlNode, int> Counts { get; } = counts;

        public Dictionary<YamlNode, string> Anchors { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
