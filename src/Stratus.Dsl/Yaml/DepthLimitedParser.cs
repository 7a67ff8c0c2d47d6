using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stratus.Dsl.Yaml;

/// <summary>
/// YamlDotNet's parser with a nesting limit: the representation model and everything after it recurse once per
/// level, and a stack overflow cannot be caught, so a document nested deeper than any blueprint is refused early.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                var at = inner.Current.Start;
                throw new YamlException(at, inner.Current.End, $"the document is nested deeper than {maxDepth} levels");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}
