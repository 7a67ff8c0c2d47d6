using Stratus.Cli.Parsing;

namespace Stratus.Cli;

internal static class HelpText
{
    public static void WriteOverview(TextWriter writer, IReadOnlyList<CommandSpec> commands)
    {
        writer.WriteLine("Usage: stratus <command> [arguments] [options]");
        writer.WriteLine();
        writer.WriteLine("Commands:");
        var width = commands.Max(c => c.Path.Length);
        foreach (var command in commands)
        {
            writer.WriteLine($"  {command.Path.PadRight(width)}  {command.Summary}");
        }

        writer.WriteLine();
        writer.WriteLine("Connection: STRATUS_MANAGER_URL (default http://127.0.0.1:8100), STRATUS_USERNAME, STRATUS_PASSWORD,");
        writer.WriteLine("STRATUS_TENANT, or a profile saved by 'stratus profiles use'. 'stratus <command> --help' for details.");
    }

    public static void WriteCommand(TextWriter writer, CommandSpec command)
    {
        writer.WriteLine($"Usage: {command.Usage}");
        writer.WriteLine();
        writer.WriteLine(command.Summary);
        if (command.Options.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine("Options:");
        var width = command.Options.Max(o => o.Display.Length);
        foreach (var option in command.Options)
        {
            writer.WriteLine($"  {option.Display.PadRight(width)}  {option.Help}");
        }
    }
}
