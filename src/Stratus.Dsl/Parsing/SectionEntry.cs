using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>One named item of a top-level section (a node type, an input, ...), with the file it came from.</summary>
internal sealed record SectionEntry(YScalar Key, YNode Value, bool BuiltIn)
{
    public string Name => Key.Text;
}
