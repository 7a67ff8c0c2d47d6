using System.Text.Json.Nodes;

namespace Stratus.Dsl.Yaml;

/// <summary>A mapping with string keys, in document order (merge keys already applied).</summary>
internal sealed class YMap : YNode
{
    private readonly Dictionary<string, int> _index;

    public YMap(Mark mark, IReadOnlyList<KeyValuePair<YScalar, YNode>> entries)
        : base(mark)
    {
        Entries = entries;
        _index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            _index[entries[i].Key.Text] = i;
        }
    }

    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries { get; }

    public int Count => Entries.Count;

    public override string KindName => "dict";

    public YNode? this[string key] => _index.TryGetValue(key, out var i) ? Entries[i].Value : null;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public YScalar? KeyNode(string key) => _index.TryGetValue(key, out var i) ? Entries[i].Key : null;

    public override JsonNode? ToJson()
    {
        var obj = new JsonObject();
        foreach (var (key, value) in Entries)
        {
            obj[key.Text] = value.ToJson();
        }

        return obj;
    }
}
