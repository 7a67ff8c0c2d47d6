using System.Text.Json;

namespace Stratus.Cli.Connection;

/// <summary>Reads and writes the profile file; it holds a password, so it is created owner-only (0600).</summary>
internal sealed class ProfileStore
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public ProfileStore(string homeDirectory) => FilePath = Path.Combine(homeDirectory, ".stratus", "profile.json");

    public string FilePath { get; }

    public async Task<CliProfile?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        await using var stream = File.OpenRead(FilePath);
        try
        {
            return await JsonSerializer.DeserializeAsync<CliProfile>(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new CliException($"the profile file {FilePath} is not valid JSON ({e.Message}); run 'stratus profiles use' again");
        }
    }

    public async Task SaveAsync(CliProfile profile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(FilePath, options))
        {
            await JsonSerializer.SerializeAsync(stream, profile, Indented, cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to new files; an older, wider file is narrowed here.
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
