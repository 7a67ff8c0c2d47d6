using System.Text.Json.Nodes;

namespace Stratus.Dsl.Yaml;

/// <summary>A loaded YAML node that remembers where it came from, so errors can cite file:line:col.</summary>
internal abstract class YNode
{
    protected YNode(Mark mark)
    {
        Mark = mark;
    }

    public Mark Mark { get; }

    /// <summary>A fresh JSON copy (aliased YAML nodes materialize once per use).</summary>
    public abstract JsonNode? ToJson();

    public abstract string KindName { get; }
}
