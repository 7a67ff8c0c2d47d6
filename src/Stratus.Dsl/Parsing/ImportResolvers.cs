namespace Stratus.Dsl.Parsing;

/// <summary>The host's answers for <c>plugin:</c> and <c>blueprint:</c> imports (null refuses them).</summary>
internal sealed record ImportResolvers(Func<string, string?>? Plugin, Func<string, string?>? Blueprint);
