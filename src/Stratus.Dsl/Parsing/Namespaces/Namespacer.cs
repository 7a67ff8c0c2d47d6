using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing.Namespaces;

/// <summary>
/// Cloudify's namespaced imports (<c>ns--file.yaml</c>): every item an imported file defines is renamed
/// <c>ns--name</c>, and the references inside it are renamed the same way, so the file keeps pointing at its own
/// items. Names starting with <c>cloudify.</c>, the primitive type names and SELF/SOURCE/TARGET are never renamed.
/// Which fields count as references follows Cloudify's element schema (see <see cref="NamespaceRules"/>).
/// </summary>
internal static class Namespacer
{
    public const string Delimiter = "--";

    private static readonly string[] NodeTargets = ["SELF", "SOURCE", "TARGET"];

    public static string Prefix(string ns, string value) => ns + Delimiter + value;

    /// <summary>Cloudify lets users override <c>cloudify.*</c> names, so they never take a namespace.</summary>
    public static bool IsCloudifyName(string name) => name.StartsWith("cloudify.", StringComparison.Ordinal);

    /// <summary>The parent namespace chained with an import's own one (<c>a--b</c>), or whichever of them is set.</summary>
    public static string? Chain(string? parent, string? own) =>
        parent is not null && own is not null ? Prefix(parent, own) : parent ?? own;

    /// <summary>Removes everything up to the last delimiter (how Cloudify finds a namespaced script on disk).</summary>
    public static string StripNamespace(string value)
    {
        var at = value.LastIndexOf(Delimiter, StringComparison.Ordinal);
        return at < 0 ? value : value[(at + Delimiter.Length)..];
    }

    /// <summary>The name of a section item (a node type, an input, ...) as seen from outside the namespace.</summary>
    public static YScalar Key(YScalar key, string ns) =>
        IsCloudifyName(key.Text) ? key : Scalar(key, Prefix(ns, key.Text));

    /// <summary>A field that names another item: a string is prefixed, a mapping has its functions rewritten.</summary>
    public static YNode Reference(YNode node, string ns)
    {
        if (node is YScalar { Value: string text } scalar)
        {
            return Array.IndexOf(ValueTyper.PrimitiveTypes, text) >= 0 || IsCloudifyName(text)
                ? node
                : Scalar(scalar, Prefix(ns, text));
        }

        return node is YMap ? Functions(node, ns) : node;
    }

    /// <summary>A plain value field: only the intrinsic functions of a mapping are rewritten.</summary>
    public static YNode Value(YNode node, string ns) => node is YMap ? Functions(node, ns) : node;

    /// <summary>
    /// <c>get_input</c> names an input, <c>get_property</c>/<c>get_attribute</c> a node (unless SELF/SOURCE/TARGET);
    /// those are prefixed wherever they sit in the value. Other functions are left alone.
    /// </summary>
    public static YNode Functions(YNode node, string ns)
    {
        if (node is YSeq seq)
        {
            return new YSeq(seq.Mark, seq.Items.Select(i => Functions(i, ns)).ToList());
        }

        if (node is not YMap map)
        {
            return node;
        }

        var entries = new List<KeyValuePair<YScalar, YNode>>(map.Count);
        foreach (var (key, value) in map.Entries)
        {
            var rewritten = value;
            switch (key.Text)
            {
                case "get_input" when value is YScalar { Value: string input } scalar:
                    rewritten = Scalar(scalar, Prefix(ns, input));
                    break;
                case "get_input" when value is YSeq args && args.Items.Count > 0 && args.Items[0] is YScalar { Value: string } first:
                    rewritten = ReplaceFirst(args, Scalar(first, Prefix(ns, first.AsString!)));
                    break;
                case "get_property" or "get_attribute"
                    when value is YSeq args && args.Items.Count > 0 && args.Items[0] is YScalar { Value: string target } first
                        && Array.IndexOf(NodeTargets, target) < 0:
                    rewritten = ReplaceFirst(args, Scalar(first, Prefix(ns, target)));
                    break;
            }

            if (rewritten is YMap or YSeq)
            {
                rewritten = Functions(rewritten, ns);
            }

            entries.Add(new(key, rewritten));
        }

        return new YMap(map.Mark, entries);
    }

    private static YSeq ReplaceFirst(YSeq seq, YNode first)
    {
        var items = seq.Items.ToList();
        items[0] = first;
        return new YSeq(seq.Mark, items);
    }

    private static YScalar Scalar(YScalar original, string text) => new(original.Mark, text, text);
}
