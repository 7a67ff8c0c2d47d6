using System.Globalization;

namespace Stratus.Cli.Parsing;

/// <summary>A command line matched against a <see cref="CommandSpec"/>: positionals by name, flags by long name.</summary>
internal sealed class ParsedCommand
{
    private readonly Dictionary<string, string> _arguments;
    private readonly Dictionary<string, List<string>> _options;

    public ParsedCommand(CommandSpec spec, Dictionary<string, string> arguments, Dictionary<string, List<string>> options)
    {
        Spec = spec;
        _arguments = arguments;
        _options = options;
    }

    public CommandSpec Spec { get; }

    public bool HelpRequested { get; init; }

    public string Argument(string name) =>
        _arguments.TryGetValue(name, out var value) ? value : throw new UsageException($"missing argument {name}", Spec);

    public string? OptionalArgument(string name) => _arguments.GetValueOrDefault(name);

    public bool Has(string option) => _options.ContainsKey(option);

    public string? Value(string option) => _options.TryGetValue(option, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out var values) ? values : [];

    public string Required(string option) =>
        Value(option) ?? throw new UsageException($"missing required option --{option}", Spec);

    public int? Int(string option)
    {
        var text = Value(option);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new UsageException($"option --{option} expects a non-negative number, got '{text}'", Spec);
    }

    public bool Json => Has("json");
}
