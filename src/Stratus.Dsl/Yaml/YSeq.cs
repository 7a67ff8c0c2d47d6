using System.Text.Json.Nodes;

namespace Stratus.Dsl.Yaml;

internal sealed class YSeq : YNode
{
    public YSeq(Mark mark, IReadOnlyList<YNode> items)
        : base(mark)
    {
        Items = items;
    }

    public IReadOnlyList<YNode> Items { get; }

    public override string KindName => "list";

    public override JsonNode? ToJson()
    {
        var array = new JsonArray();
        foreach (var item in Items)
        {
            array.Add(item.ToJson());
        }

        return array;
    }
}
