using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;
using Stratus.Client;

namespace Stratus.Cli;

/// <summary>Parses, runs one verb and maps failures to exit codes: 0 ok, 1 error, 2 bad command line.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, CliConsole console, CliEnvironment environment, TimeProvider time, CancellationToken cancellationToken)
    {
        var commands = CommandCatalog.All;
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            HelpText.WriteOverview(console.Out, commands);
            return args.Count == 0 ? BadUsage : Ok;
        }

        if (args[0] is "--version")
        {
            var version = typeof(CliApp).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
                .FirstOrDefault()?.InformationalVersion ?? "unknown";
            await console.Out.WriteLineAsync($"stratus {version}");
            return Ok;
        }

        ParsedCommand parsed;
        try
        {
            parsed = new ArgumentParser(commands).Parse(args);
        }
        catch (UsageException e)
        {
            return Usage(console, e);
        }

        if (parsed.HelpRequested)
        {
            HelpText.WriteCommand(console.Out, parsed.Spec);
            return Ok;
        }

        using var context = new CommandContext(parsed, console, environment, time);
        try
        {
            return await parsed.Spec.Run(context, cancellationToken);
        }
        catch (UsageException e)
        {
            return Usage(console, e);
        }
        catch (StratusApiException e)
        {
            await console.Error.WriteLineAsync($"Error: {e.Message} [{e.ErrorCode}]");
            if (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                await console.Error.WriteLineAsync(
                    "Set STRATUS_USERNAME and STRATUS_PASSWORD, or run 'stratus profiles use URL -u USER -p PASSWORD'.");
            }

            return Failed;
        }
        catch (HttpRequestException e)
        {
            var url = context.Environment.Variable(Connection.ConnectionSettings.UrlVariable) ?? "the manager";
            await console.Error.WriteLineAsync($"Error: cannot reach {url}: {e.Message}");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Error: interrupted");
            return 130;
        }
        catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException
                                      or InvalidOperationException or TaskCanceledException)
        {
            await console.Error.WriteLineAsync($"Error: {e.Message}");
            return Failed;
        }
    }

    private static int Usage(CliConsole console, UsageException e)
    {
        console.Error.WriteLine($"Error: {e.Message}");
        console.Error.WriteLine(e.Command is { } spec
            ? $"Usage: {spec.Usage}  (see 'stratus {spec.Path} --help')"
            : "See 'stratus --help' for the list of commands.");
        return BadUsage;
    }
}
