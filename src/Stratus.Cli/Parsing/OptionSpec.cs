namespace Stratus.Cli.Parsing;

/// <summary>One flag of a verb: <c>--name</c> and an optional one-letter alias; with or without a value.</summary>
internal sealed record OptionSpec(string Name, char? Alias, string? ValueName, string Help, bool Repeatable = false)
{
    public bool TakesValue => ValueName is not null;

    public string Display => (Alias is { } a ? $"-{a}, " : "    ") + $"--{Name}" + (TakesValue ? $" {ValueName}" : "");

    public static OptionSpec Flag(string name, string help, char? alias = null) => new(name, alias, null, help);

    public static OptionSpec Value(string name, string valueName, string help, char? alias = null) =>
        new(name, alias, valueName, help);

    public static OptionSpec Many(string name, string valueName, string help, char? alias = null) =>
        new(name, alias, valueName, help, Repeatable: true);

    public static readonly OptionSpec Json = Flag("json", "print machine-readable JSON instead of a table");
}
