namespace Stratus.Cli;

/// <summary>Where the CLI writes; <see cref="IsInteractive"/> turns on the progress indicator.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static CliConsole System() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);
}
