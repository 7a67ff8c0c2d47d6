namespace Stratus.Cli;

/// <summary>
/// Environment variables and the home folder, injectable so tests never touch the real profile; tests may also
/// supply the HTTP handler that stands in for a manager.
/// </summary>
internal sealed record CliEnvironment(Func<string, string?> Variable, string HomeDirectory)
{
    public Func<HttpMessageHandler>? HttpHandler { get; init; }

    public static CliEnvironment System() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
}
