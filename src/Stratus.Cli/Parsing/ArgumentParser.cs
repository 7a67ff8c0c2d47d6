namespace Stratus.Cli.Parsing;

/// <summary>
/// Matches <c>group verb args... --flags</c> against the command table. Every mistake is a
/// <see cref="UsageException"/> naming the offending token, so the user sees exactly what to fix.
/// </summary>
internal sealed class ArgumentParser
{
    private readonly IReadOnlyList<CommandSpec> _commands;

    public ArgumentParser(IReadOnlyList<CommandSpec> commands) => _commands = commands;

    public ParsedCommand Parse(IReadOnlyList<string> args)
    {
        var (spec, consumed) = FindCommand(args);
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var help = false;
        var onlyPositionals = false;
        for (var i = consumed; i < args.Count; i++)
        {
            var token = args[i];
            if (onlyPositionals || token == "-" || !token.StartsWith('-'))
            {
                positionals.Add(token);
                continue;
            }

            if (token == "--")
            {
                onlyPositionals = true;
                continue;
            }

            if (token is "-h" or "--help")
            {
                help = true;
                continue;
            }

            string? inlineValue = null;
            var name = token;
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (token.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = token[..equals];
                inlineValue = token[(equals + 1)..];
            }

            var option = spec.Find(name)
                ?? throw new UsageException($"unknown option '{name}' for 'stratus {spec.Path}'", spec);
            string value;
            if (!option.TakesValue)
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"option '--{option.Name}' takes no value", spec);
                }

                value = "true";
            }
            else if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option '{name}' needs a value ({option.ValueName})", spec);
            }

            if (options.TryGetValue(option.Name, out var existing))
            {
                if (!option.Repeatable && option.TakesValue)
                {
                    throw new UsageException($"option '--{option.Name}' given more than once", spec);
                }

                existing.Add(value);
            }
            else
            {
                options[option.Name] = [value];
            }
        }

        if (!help)
        {
            if (positionals.Count > spec.Arguments.Count)
            {
                throw new UsageException($"unexpected argument '{positionals[spec.Arguments.Count]}' for 'stratus {spec.Path}'", spec);
            }

            if (positionals.Count < spec.RequiredArguments)
            {
                throw new UsageException($"missing argument {spec.Arguments[positionals.Count]} for 'stratus {spec.Path}'", spec);
            }
        }

        for (var i = 0; i < positionals.Count && i < spec.Arguments.Count; i++)
        {
            arguments[spec.Arguments[i].TrimEnd('?')] = positionals[i];
        }

        return new ParsedCommand(spec, arguments, options) { HelpRequested = help };
    }

    private (CommandSpec Spec, int Consumed) FindCommand(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("no command given");
        }

        var first = args[0];
        var single = _commands.FirstOrDefault(c => c.Path == first);
        if (single is not null)
        {
            return (single, 1);
        }

        var group = _commands.Where(c => c.Path.StartsWith(first + " ", StringComparison.Ordinal)).ToList();
        if (group.Count == 0)
        {
            throw new UsageException(first.StartsWith('-') ? $"unknown option '{first}'" : $"unknown command '{first}'");
        }

        if (args.Count < 2 || args[1].StartsWith('-'))
        {
            var verbs = string.Join(", ", group.Select(c => c.Path[(first.Length + 1)..]));
            throw new UsageException($"'stratus {first}' needs a verb: {verbs}");
        }

        var path = $"{first} {args[1]}";
        var spec = group.FirstOrDefault(c => c.Path == path);
        if (spec is null && args.Count > 2 && group.FirstOrDefault(c => c.Path == $"{path} {args[2]}") is { } nested)
        {
            // Three-word verbs (cfy's `deployments schedule create`).
            return (nested, 3);
        }

        if (spec is null)
        {
            var verbs = string.Join(", ", group.Select(c => c.Path[(first.Length + 1)..]));
            throw new UsageException($"unknown command '{path}' (known: {verbs})");
        }

        return (spec, 2);
    }
}
