using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stratus.Dsl.Yaml;

/// <summary>
/// The node graph of a YAML document as the parser's events give it, before any typing. Unlike YamlDotNet's
/// representation model it keeps a mapping's repeated keys (PyYAML lets the last one win) and aliases share nodes.
/// </summary>
internal static class RawYaml
{
    public static Node? ReadFirstDocument(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _))
        {
            return null;
        }

        return Read(parser, new Dictionary<string, Node>(StringComparer.Ordinal));
    }

    private static Node Read(IParser parser, Dictionary<string, Node> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"found undefined alias '{alias.Value.Value}'");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return Remember(anchors, scalar.Anchor, new ScalarNode(scalar.Tag, scalar.Start, scalar.Value, scalar.Style));
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var sequence = Remember(anchors, sequenceStart.Anchor, new SequenceNode(sequenceStart.Tag, sequenceStart.Start));
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                sequence.Children.Add(Read(parser, anchors));
            }

            return sequence;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var mapping = Remember(anchors, mappingStart.Anchor, new MappingNode(mappingStart.Tag, mappingStart.Start));
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = Read(parser, anchors);
            mapping.Children.Add(new(key, Read(parser, anchors)));
        }

        return mapping;
    }

    private static T Remember<T>(Dictionary<string, Node> anchors, AnchorName anchor, T node)
        where T : Node
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    internal abstract class Node(TagName tag, YamlDotNet.Core.Mark start)
    {
        public TagName Tag { get; } = tag;

        public YamlDotNet.Core.Mark Start { get; } = start;
    }

    internal sealed class ScalarNode(TagName tag, YamlDotNet.Core.Mark start, string value, ScalarStyle style) : Node(tag, start)
    {
        public string Value { get; } = value;

        public ScalarStyle Style { get; } = style;
    }

    internal sealed class SequenceNode(TagName tag, YamlDotNet.Core.Mark start) : Node(tag, start)
    {
        public List<Node> Children { get; } = [];
    }

    internal sealed class MappingNode(TagName tag, YamlDotNet.Core.Mark start) : Node(tag, start)
    {
        public List<KeyValuePair<Node, Node>> Children { get; } = [];
    }
}
