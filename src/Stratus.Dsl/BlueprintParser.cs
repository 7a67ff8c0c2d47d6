using Stratus.Dsl.Parsing;

namespace Stratus.Dsl;

/// <summary>
/// Parses a Cloudify DSL blueprint (with its imports) into a plan in Cloudify's shape. Errors are
/// <see cref="DslParseException"/> with Cloudify's DSL error code and file:line:col.
/// </summary>
public sealed class BlueprintParser
{
    /// <summary>Parses the blueprint whose main file is <paramref name="mainFilePath"/>; relative imports resolve beside it.</summary>
    public ParsedBlueprint Parse(string mainFilePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mainFilePath);
        GC.KeepAlive(this);
        var source = BlueprintSource.Load(mainFilePath, cancellationToken);
        return new ParsedBlueprint(new PlanBuilder(source, cancellationToken).Build());
    }
}
