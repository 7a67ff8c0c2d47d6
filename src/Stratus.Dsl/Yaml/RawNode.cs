using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stratus.Dsl.Yaml;

/// <summary>
/// A YAML node as composed from the parser's events, before any value is resolved. Unlike YamlDotNet's
/// representation model it keeps every key of a mapping, duplicates included, because PyYAML (and so Cloudify)
/// lets the last of two equal keys win instead of refusing the document. An alias is the same instance as its anchor.
/// </summary>
internal abstract class RawNode(Mark start, TagName tag)
{
    public Mark Start { get; } = start;

    public TagName Tag { get; } = tag;
}

internal sealed class RawScalar(Mark start, TagName tag, string value, ScalarStyle style) : RawNode(start, tag)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;
}

internal sealed class RawSequence(Mark start, TagName tag) : RawNode(start, tag)
{
    public List<RawNode> Items { get; } = [];
}

internal sealed class RawMapping(Mark start, TagName tag) : RawNode(start, tag)
{
    public List<KeyValuePair<RawNode, RawNode>> Pairs { get; } = [];
}

/// <summary>Composes the first document of a YAML text into <see cref="RawNode"/>s.</summary>
internal sealed class RawComposer(string file)
{
    private readonly Dictionary<string, RawNode> _anchors = new(StringComparer.Ordinal);

    /// <summary>The first document's root, or null for an empty text.</summary>
    public RawNode? Compose(string text)
    {
        // Read recurses once per level: a nesting limit keeps a hostile document from overflowing the stack.
        var parser = new DepthLimitedParser(new Parser(new StringReader(text)), YamlLoader.MaxDepth);
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        return Read(parser);
    }

    private Mark MarkOf(ParsingEvent e) => new(file, (int)e.Start.Line, (int)e.Start.Column);

    private RawNode Read(IParser parser)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return _anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw MarkOf(alias).Error(-1, $"Failed to parse DSL: Illegal yaml; found undefined alias '{alias.Value.Value}'");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return Anchor(scalar.Anchor, new RawScalar(MarkOf(scalar), scalar.Tag, scalar.Value, scalar.Style));
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var sequence = Anchor(sequenceStart.Anchor, new RawSequence(MarkOf(sequenceStart), sequenceStart.Tag));
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                sequence.Items.Add(Read(parser));
            }

            return sequence;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var mapping = Anchor(mappingStart.Anchor, new RawMapping(MarkOf(mappingStart), mappingStart.Tag));
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = Read(parser);
            mapping.Pairs.Add(new(key, Read(parser)));
        }

        return mapping;
    }

    private T Anchor<T>(AnchorName anchor, T node)
        where T : RawNode
    {
        if (!anchor.IsEmpty)
        {
            // A later anchor of the same name replaces the earlier one for the aliases that follow it.
            _anchors[anchor.Value] = node;
        }

        return node;
    }
}
