using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Stratus.Dsl.Yaml;

/// <summary>
/// Loads one YAML document the way PyYAML's safe loader does (YAML 1.1 scalars, anchors, merge keys, the last of
/// two equal keys wins) but refuses type tags, and keeps file:line:col on every node.
/// </summary>
internal static class YamlLoader
{
    // An alias bomb ("billion laughs") materializes exponentially once turned into JSON. Aliases in real blueprints
    // repeat a few small definitions; what they add beyond the written nodes is capped, the written size is not.
    private const long MaxAliasExpansion = 1_000_000;

    private const long MaxExpandedNodes = 50_000_000;

    // Far deeper than any blueprint, far shallower than what exhausts the stack of the recursive steps after loading.
    internal const int MaxDepth = 512;

    private const string YamlTagPrefix = "tag:yaml.org,2002:";

    /// <summary>
    /// Composes the text; where YamlDotNet (YAML 1.2) refuses a value indicator glued to a flow collection inside a
    /// flow mapping (<c>{concat:[a, b]}</c>), which PyYAML reads as <c>{concat: [a, b]}</c>, a space is put after that
    /// colon and the text composed again. Only texts YamlDotNet refuses are touched, at the place it refused.
    /// </summary>
    private static RawNode? ComposeLikePyYaml(string text, string file)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new RawComposer(file).Compose(text);
            }
            catch (YamlException ex) when (attempt < 1000 && GluedFlowColon(text, ex.Start) is { } at)
            {
                text = text.Insert(at + 1, " ");
            }
        }
    }

    /// <summary>The offset of a ':' right before the refused position when a '[' or '{' follows it, else null.</summary>
    private static int? GluedFlowColon(string text, YamlDotNet.Core.Mark start)
    {
        var offset = 0;
        for (var line = 1L; line < start.Line; line++)
        {
            offset = text.IndexOf('\n', offset);
            if (offset < 0)
            {
                return null;
            }

            offset++;
        }

        var at = offset + (int)start.Column - 1;
        return at > 0 && at < text.Length && text[at - 1] == ':' && text[at] is '[' or '{' ? at - 1 : null;
    }

    public static YNode? Load(string text, string file)
    {
        RawNode? root;
        try
        {
            root = ComposeLikePyYaml(text, file);
        }
        catch (YamlException ex)
        {
            throw new DslParseException(
                -1, $"Failed to parse DSL: Illegal yaml; {ex.Message}", file, (int)ex.Start.Line, (int)ex.Start.Column);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's scanner fails some malformed texts with a state error instead of a YamlException.
            throw new DslParseException(-1, $"Failed to parse DSL: Illegal yaml; {ex.Message}", file);
        }

        if (root is null)
        {
            return null;
        }

        var converter = new Converter();
        converter.CheckSize(root);
        return converter.Convert(root);
    }

    private sealed class Converter
    {
        private readonly Dictionary<RawNode, YNode> _done = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<RawNode, long> _sizes = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<RawNode> _inProgress = new(ReferenceEqualityComparer.Instance);

        private static Mark MarkOf(RawNode node) => node.Start;

        public void CheckSize(RawNode root)
        {
            // Each distinct node is sized once, so the count of sizes is the written size.
            if (Size(root) - _sizes.Count > MaxAliasExpansion)
            {
                throw MarkOf(root).Error(-1, "Failed to parse DSL: Illegal yaml; the document expands to too many nodes");
            }
        }

        private long Size(RawNode node)
        {
            if (_sizes.TryGetValue(node, out var known))
            {
                return known;
            }

            if (!_inProgress.Add(node))
            {
                throw MarkOf(node).Error(-1, "Failed to parse DSL: Illegal yaml; recursive alias");
            }

            long size = 1;
            switch (node)
            {
                case RawSequence seq:
                    foreach (var item in seq.Items)
                    {
                        size = Math.Min(MaxExpandedNodes + 1, size + Size(item));
                    }

                    break;
                case RawMapping map:
                    foreach (var (key, value) in map.Pairs)
                    {
                        size = Math.Min(MaxExpandedNodes + 1, size + Size(key) + Size(value));
                    }

                    break;
            }

            _inProgress.Remove(node);
            _sizes[node] = size;
            return size;
        }

        public YNode Convert(RawNode node)
        {
            if (_done.TryGetValue(node, out var existing))
            {
                return existing;
            }

            YNode result = node switch
            {
                RawScalar scalar => ConvertScalar(scalar),
                RawSequence seq => ConvertSequence(seq),
                RawMapping map => ConvertMapping(map),
                _ => throw MarkOf(node).Error(-1, "Failed to parse DSL: Illegal yaml; unsupported node"),
            };
            _done[node] = result;
            return result;
        }

        private static void CheckTag(RawNode node, string expected)
        {
            if (node.Tag.IsEmpty || node.Tag.IsNonSpecific)
            {
                return;
            }

            var tag = node.Tag.Value;
            if (tag == YamlTagPrefix + expected)
            {
                return;
            }

            throw MarkOf(node).Error(
                -1, $"Failed to parse DSL: Illegal yaml; could not determine a constructor for the tag '{tag}'");
        }

        private static YScalar ConvertScalar(RawScalar scalar)
        {
            var text = scalar.Value;
            var mark = MarkOf(scalar);
            if (!System.Text.Ascii.IsValid(text))
            {
                throw mark.Error(108, $"illegal characters in line: {mark.Line}, column: {mark.Column}. Only valid ascii chars are supported.");
            }

            if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
            {
                var tag = scalar.Tag.Value;
                var value = tag switch
                {
                    YamlTagPrefix + "str" => text,
                    YamlTagPrefix + "int" => ScalarResolver.Resolve(text) is long l ? l : (object?)null,
                    YamlTagPrefix + "float" => ScalarResolver.Resolve(text) switch { long l => (double)l, double d => d, _ => null },
                    YamlTagPrefix + "bool" => ScalarResolver.Resolve(text) as bool?,
                    YamlTagPrefix + "null" => null,
                    _ => throw mark.Error(
                        -1, $"Failed to parse DSL: Illegal yaml; could not determine a constructor for the tag '{tag}'"),
                };
                if (value is null && tag != YamlTagPrefix + "null")
                {
                    throw mark.Error(-1, $"Failed to parse DSL: Illegal yaml; '{text}' is not a valid {tag}");
                }

                return new YScalar(mark, value, text);
            }

            if (scalar.Style is ScalarStyle.Plain && scalar.Tag.IsEmpty)
            {
                return new YScalar(mark, ScalarResolver.Resolve(text), text);
            }

            return new YScalar(mark, text, text);
        }

        private YSeq ConvertSequence(RawSequence seq)
        {
            CheckTag(seq, "seq");
            var items = new List<YNode>(seq.Items.Count);
            foreach (var child in seq.Items)
            {
                items.Add(Convert(child));
            }

            return new YSeq(MarkOf(seq), items);
        }

        private YMap ConvertMapping(RawMapping map)
        {
            CheckTag(map, "map");

            // PyYAML's order: the entries of every merge key first (a later `<<` over an earlier one, the first
            // mapping of a merged list over the later ones), then the mapping's own entries; then the last of
            // equal keys wins and keeps the place of the first.
            var merged = new List<KeyValuePair<YScalar, YNode>>();
            var own = new List<KeyValuePair<YScalar, YNode>>(map.Pairs.Count);
            foreach (var (keyNode, valueNode) in map.Pairs)
            {
                if (keyNode is not RawScalar keyScalar)
                {
                    throw MarkOf(keyNode).Error(1, "Dict keys must be strings");
                }

                if (keyScalar.Style is ScalarStyle.Plain && keyScalar.Tag.IsEmpty && keyScalar.Value == "<<")
                {
                    merged.AddRange(MergeSources(Convert(valueNode)));
                    continue;
                }

                var key = ConvertScalar(keyScalar);
                // A key typed by YAML 1.1 reaches the JSON plan the way Python's json.dumps writes a non-string key.
                var keyText = key.Value switch
                {
                    string text => text,
                    bool b => b ? "true" : "false",
                    null => "null",
                    long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    double d => Python.Repr(JsonValue.Create(d)),
                    _ => key.Text,
                };
                own.Add(new(new YScalar(key.Mark, keyText, keyText), Convert(valueNode)));
            }

            var entries = new List<KeyValuePair<YScalar, YNode>>(merged.Count + own.Count);
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in merged.Concat(own))
            {
                if (positions.TryGetValue(entry.Key.Text, out var at))
                {
                    entries[at] = new(entries[at].Key, entry.Value);
                }
                else
                {
                    positions[entry.Key.Text] = entries.Count;
                    entries.Add(entry);
                }
            }

            return new YMap(MarkOf(map), entries);
        }

        private static IEnumerable<KeyValuePair<YScalar, YNode>> MergeSources(YNode merge) => merge switch
        {
            YMap m => m.Entries,
            YSeq s when s.Items.All(i => i is YMap) => s.Items.Cast<YMap>().Reverse().SelectMany(m => m.Entries),
            _ => throw merge.Mark.Error(
                -1, "Failed to parse DSL: Illegal yaml; a merge key '<<' expects a mapping or a list of mappings"),
        };
    }
}
