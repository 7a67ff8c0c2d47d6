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

    /// <summary>
    /// Every error in the blueprint, in the order <see cref="Parse"/> meets them (its exception is the first); empty
    /// when the blueprint is valid. Each input, type, template, relationship, output, group, policy and workflow is
    /// checked on its own, and whatever depends on a broken one is skipped rather than reported again. YAML syntax
    /// errors and failed imports stop the check.
    /// </summary>
    public IReadOnlyList<DslParseException> Validate(string mainFilePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mainFilePath);
        BlueprintSource source;
        try
        {
            source = BlueprintSource.Load(mainFilePath, new ImportResolvers(PluginResolver, BlueprintResolver), cancellationToken);
        }
        catch (DslParseException e)
        {
            return [e];
        }

        var errors = new BuildErrors(collect: true);
        try
        {
            new PlanBuilder(source, cancellationToken, errors).Build();
        }
        catch (DslParseException e)
        {
            // A check that is not yet split per element stops here, like Parse.
            errors.Record(e);
        }

        return errors.Errors;
    }
}
