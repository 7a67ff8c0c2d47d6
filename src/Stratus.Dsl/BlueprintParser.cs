using Stratus.Dsl.Parsing;

namespace Stratus.Dsl;

/// <summary>
/// Parses a Cloudify DSL blueprint (with its imports) into a plan in Cloudify's shape. Errors are
/// <see cref="DslParseException"/> with Cloudify's DSL error code and file:line:col.
/// </summary>
public sealed class BlueprintParser
{
    /// <summary>
    /// Resolves a <c>plugin:&lt;package_name&gt;[?version=...]</c> import (given without the <c>plugin:</c> prefix) to the
    /// path of that plugin's plugin.yaml, e.g. from the manager's uploaded plugins; null (the default) refuses such
    /// imports with error 13.
    /// </summary>
    public Func<string, string?>? PluginResolver { get; init; }

    /// <summary>
    /// Resolves a <c>ns--blueprint:&lt;id&gt;</c> import to the path of that uploaded blueprint's main file; null (the
    /// default, or as an answer) refuses the import with error 13.
    /// </summary>
    public Func<string, string?>? BlueprintResolver { get; init; }

    /// <summary>Parses the blueprint whose main file is <paramref name="mainFilePath"/>; relative imports resolve beside it.</summary>
    public ParsedBlueprint Parse(string mainFilePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mainFilePath);
        var source = BlueprintSource.Load(mainFilePath, new ImportResolvers(PluginResolver, BlueprintResolver), cancellationToken);
        return new ParsedBlueprint(new PlanBuilder(source, cancellationToken).Build());
    }
}
