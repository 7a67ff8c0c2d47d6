namespace Stratus.Cli.Parsing;

/// <summary>A verb such as <c>blueprints upload</c>: its positional arguments, its flags and what runs it.</summary>
internal sealed record CommandSpec(
    string Path,
    string Summary,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<OptionSpec> Options,
    Func<CommandContext, CancellationToken, Task<int>> Run)
{
    /// <summary>Positionals ending in <c>?</c> are optional.</summary>
    public int RequiredArguments => Arguments.Count(a => !a.EndsWith('?'));

    public string Usage =>
        $"stratus {Path}" + string.Concat(Arguments.Select(a => a.EndsWith('?') ? $" [{a.TrimEnd('?')}]" : $" {a}")) +
        (Options.Count > 0 ? " [options]" : "");

    public OptionSpec? Find(string token)
    {
        if (token.StartsWith("--", StringComparison.Ordinal))
        {
            var name = token[2..];
            return Options.FirstOrDefault(o => o.Name == name);
        }

        return token.Length == 2 ? Options.FirstOrDefault(o => o.Alias == token[1]) : null;
    }
}
