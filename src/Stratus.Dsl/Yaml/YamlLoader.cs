using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stratus.Dsl.Yaml;

/// <summary>
/// Loads one YAML document the way PyYAML's safe loader does (YAML 1.1 scalars, anchors, merge keys) but refuses
/// type tags and duplicate keys, and keeps file:line:col on every node.
/// </summary>
internal static class YamlLoader
{
    // An alias bomb ("billion laughs") materializes exponentially once turned into JSON. Aliases in real blueprints
    // repeat a few small definitions; what they add beyond the written nodes is capped, the written size is not.
    private const long MaxAliasExpansion = 1_000_000;

    private const long MaxExpandedNodes = 50_000_000;

    // Far deeper than any blueprint, far shallower than what exhausts the stack of the recursive steps after loading.
    private const int MaxDepth = 512;

    private const string YamlTagPrefix = "tag:yaml.org,2002:";

    public static YNode? Load(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text)), MaxDepth));
        }
        catch (YamlException ex)
        {
            var detail = ex.Message.Contains("Duplicate key", StringComparison.Ordinal) ? "duplicate key" : ex.Message;
            throw new DslParseException(
                -1, $"Failed to parse DSL: Illegal yaml; {detail}", file, (int)ex.Start.Line, (int)ex.Start.Column);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's representation model refuses some event sequences its parser accepts.
            throw new DslParseException(-1, $"Failed to parse DSL: Illegal yaml; {ex.Message}", file);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        var converter = new Converter(file);
        var root = stream.Documents[0].RootNode;
        converter.CheckSize(root);
        return converter.Convert(root);
    }

    private sealed class Converter(string file)
    {
        private readonly Dictionary<YamlNode, YNode> _done = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<YamlNode, long> _sizes = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<YamlNode> _inProgress = new(ReferenceEqualityComparer.Instance);

        private Mark MarkOf(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        public void CheckSize(YamlNode root)
        {
            // Each distinct node is sized once, so the count of sizes is the written size.
            if (Size(root) - _sizes.Count > MaxAliasExpansion)
            {
                throw MarkOf(root).Error(-1, "Failed to parse DSL: Illegal yaml; the document expands to too many nodes");
            }
        }

        private long Size(YamlNode node)
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
                case YamlSequenceNode seq:
                    foreach (var item in seq.Children)
                    {
                        size = Math.Min(MaxExpandedNodes + 1, size + Size(item));
                    }

                    break;
                case YamlMappingNode map:
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

        public YNode Convert(YamlNode node)
        {
            if (_done.TryGetValue(node, out var existing))
            {
                return existing;
            }

            YNode result = node switch
            {
                YamlScalarNode scalar => ConvertScalar(scalar),
                YamlSequenceNode seq => ConvertSequence(seq),
                YamlMappingNode map => ConvertMapping(map),
                _ => throw MarkOf(node).Error(-1, "Failed to parse DSL: Illegal yaml; unsupported node"),
            };
            _done[node] = result;
            return result;
        }

        private void CheckTag(YamlNode node, string expected)
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

        private YScalar ConvertScalar(YamlScalarNode scalar)
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

        private YSeq ConvertSequence(YamlSequenceNode seq)
        {
            CheckTag(seq, "seq");
            var items = new List<YNode>(seq.Children.Count);
            foreach (var child in seq.Children)
            {
                items.Add(Convert(child));
            }

            return new YSeq(MarkOf(seq), items);
        }

        private YMap ConvertMapping(YamlMappingNode map)
        {
            CheckTag(map, "map");
            var entries = new List<KeyValuePair<YScalar, YNode>>(map.Children.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            List<YNode>? merges = null;
            foreach (var (keyNode, valueNode) in map.Children)
            {
                if (keyNode is not YamlScalarNode keyScalar)
                {
                    throw MarkOf(keyNode).Error(1, "Dict keys must be strings");
                }

                if (keyScalar.Style is ScalarStyle.Plain && keyScalar.Value == "<<")
                {
                    merges ??= [];
                    merges.Add(Convert(valueNode));
                    continue;
                }

                var key = ConvertScalar(keyScalar);
                var keyText = key.Value is string s ? s : key.Text;
                if (!seen.Add(keyText))
                {
                    throw key.Mark.Error(-1, $"Failed to parse DSL: Illegal yaml; duplicate key '{keyText}'");
                }

                entries.Add(new(new YScalar(key.Mark, keyText, keyText), Convert(valueNode)));
            }

            if (merges is not null)
            {
                foreach (var merge in merges)
                {
                    var sources = merge switch
                    {
                        YMap m => [m],
                        YSeq s when s.Items.All(i => i is YMap) => s.Items.Cast<YMap>().ToList(),
                        _ => throw merge.Mark.Error(
                            -1, "Failed to parse DSL: Illegal yaml; a merge key '<<' expects a mapping or a list of mappings"),
                    };
                    foreach (var source in sources)
                    {
                        foreach (var entry in source.Entries)
                        {
                            if (seen.Add(entry.Key.Text))
                            {
                                entries.Add(entry);
                            }
                        }
                    }
                }
            }

            return new YMap(MarkOf(map), entries);
        }
    }
}
