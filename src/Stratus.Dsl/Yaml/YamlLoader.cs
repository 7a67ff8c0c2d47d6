using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Stratus.Dsl.Yaml;

/// <summary>
/// Loads one YAML document the way PyYAML's safe loader does (YAML 1.1 scalars, anchors, merge keys, a repeated key
/// replaces the earlier value) but refuses type tags, and keeps file:line:col on every node.
/// </summary>
internal static class YamlLoader
{
    // An alias bomb materializes exponentially; real blueprints stay far below this.
    private const long MaxExpandedNodes = 5_000_000;

    private const string YamlTagPrefix = "tag:yaml.org,2002:";

    public static YNode? Load(string text, string file)
    {
        RawYaml.Node? root;
        try
        {
            root = RawYaml.ReadFirstDocument(text);
        }
        catch (YamlException ex)
        {
            throw new DslParseException(
                -1, $"Failed to parse DSL: Illegal yaml; {ex.Message}", file, (int)ex.Start.Line, (int)ex.Start.Column);
        }

        if (root is null)
        {
            return null;
        }

        var converter = new Converter(file);
        converter.CheckSize(root);
        return converter.Convert(root);
    }

    private sealed class Converter(string file)
    {
        private readonly Dictionary<RawYaml.Node, YNode> _done = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<RawYaml.Node, long> _sizes = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<RawYaml.Node> _inProgress = new(ReferenceEqualityComparer.Instance);

        private Mark MarkOf(RawYaml.Node node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        public void CheckSize(RawYaml.Node root)
        {
            if (Size(root) > MaxExpandedNodes)
            {
                throw MarkOf(root).Error(-1, "Failed to parse DSL: Illegal yaml; the document expands to too many nodes");
            }
        }

        private long Size(RawYaml.Node node)
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
                case RawYaml.SequenceNode seq:
                    foreach (var item in seq.Children)
                    {
                        size = Math.Min(MaxExpandedNodes + 1, size + Size(item));
                    }

                    break;
                case RawYaml.MappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        size = Math.Min(MaxExpandedNodes + 1, size + Size(key) + Size(value));
                    }

                    break;
            }

            _inProgress.Remove(node);
            _sizes[node] = size;
            return size;
        }

        public YNode Convert(RawYaml.Node node)
        {
            if (_done.TryGetValue(node, out var existing))
            {
                return existing;
            }

            YNode result = node switch
            {
                RawYaml.ScalarNode scalar => ConvertScalar(scalar),
                RawYaml.SequenceNode seq => ConvertSequence(seq),
                RawYaml.MappingNode map => ConvertMapping(map),
                _ => throw MarkOf(node).Error(-1, "Failed to parse DSL: Illegal yaml; unsupported node"),
            };
            _done[node] = result;
            return result;
        }

        private void CheckTag(RawYaml.Node node, string expected)
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

        private YScalar ConvertScalar(RawYaml.ScalarNode scalar)
        {
            var text = scalar.Value ?? string.Empty;
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

        private YSeq ConvertSequence(RawYaml.SequenceNode seq)
        {
            CheckTag(seq, "seq");
            var items = new List<YNode>(seq.Children.Count);
            foreach (var child in seq.Children)
            {
                items.Add(Convert(child));
            }

            return new YSeq(MarkOf(seq), items);
        }

        private YMap ConvertMapping(RawYaml.MappingNode map)
        {
            CheckTag(map, "map");
            // PyYAML: the pairs of every merge key come first (those of a merged list in reverse, so its first mapping
            // wins), then the mapping's own pairs; a later pair replaces the value of an earlier one with the same key.
            var pairs = new List<KeyValuePair<YScalar, YNode>>();
            var own = new List<KeyValuePair<YScalar, YNode>>();
            foreach (var (keyNode, valueNode) in map.Children)
            {
                if (keyNode is not RawYaml.ScalarNode keyScalar)
                {
                    throw MarkOf(keyNode).Error(1, "Dict keys must be strings");
                }

                if (keyScalar.Style is ScalarStyle.Plain && keyScalar.Value == "<<")
                {
                    var merge = Convert(valueNode);
                    var sources = merge switch
                    {
                        YMap m => [m],
                        YSeq s when s.Items.All(i => i is YMap) => s.Items.Cast<YMap>().Reverse().ToList(),
                        _ => throw merge.Mark.Error(
                            -1, "Failed to parse DSL: Illegal yaml; a merge key '<<' expects a mapping or a list of mappings"),
                    };
                    pairs.AddRange(sources.SelectMany(source => source.Entries));
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

            var entries = new List<KeyValuePair<YScalar, YNode>>(pairs.Count + own.Count);
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var pair in pairs.Concat(own))
            {
                if (positions.TryGetValue(pair.Key.Text, out var at))
                {
                    entries[at] = new(entries[at].Key, pair.Value);
                }
                else
                {
                    positions[pair.Key.Text] = entries.Count;
                    entries.Add(pair);
                }
            }

            return new YMap(MarkOf(map), entries);
        }
    }
}
