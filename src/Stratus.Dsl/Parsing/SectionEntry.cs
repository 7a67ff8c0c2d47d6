using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// One named item of a top-level section (a node type, an input, ...), with the file it came from.
/// <paramref name="BuiltIn"/>: from the bundled types; <paramref name="CloudifyType"/>: from any file Cloudify
/// recognizes as its basic types (it defines <c>cloudify.nodes.Root</c>), which is never namespaced and may repeat.
/// </summary>
internal sealed record SectionEntry(YScalar Key, YNode Value, bool BuiltIn, bool CloudifyType = false)
{
    public string Name => Key.Text;
}
