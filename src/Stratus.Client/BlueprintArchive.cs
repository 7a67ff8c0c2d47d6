using System.Formats.Tar;
using System.IO.Compression;

namespace Stratus.Client;

/// <summary>
/// What to send for <c>PUT /blueprints/{id}</c>: a folder is tar.gz'ed in memory under one top-level directory
/// (as <c>cfy blueprints upload</c> does); a YAML file sends its folder with that file as the main file; an
/// archive is sent as it is.
/// </summary>
public sealed record BlueprintArchive(byte[] Content, string? ApplicationFileName)
{
    public const string DefaultApplicationFileName = "blueprint.yaml";

    private static readonly string[] ArchiveExtensions = [".tar.gz", ".tgz", ".tar", ".zip", ".tar.bz2", ".tbz2"];

    public static async Task<BlueprintArchive> FromPathAsync(
        string path, string? applicationFileName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return new(await TarGzFolderAsync(full, cancellationToken), applicationFileName ?? DefaultApplicationFileName);
        }

        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"No blueprint folder, YAML file or archive at {path}", path);
        }

        if (IsArchive(full))
        {
            return new(await File.ReadAllBytesAsync(full, cancellationToken), applicationFileName);
        }

        var folder = Path.GetDirectoryName(full)!;
        var relative = Path.GetFileName(full);
        return new(await TarGzFolderAsync(folder, cancellationToken), applicationFileName ?? relative);
    }

    public static bool IsArchive(string path) =>
        ArchiveExtensions.Any(ext => path.EndsWith(ext, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Packs <paramref name="folder"/> as <c>&lt;name&gt;/...</c> into a gzip'ed tar held in memory; hidden entries
    /// (<c>.git</c>, <c>.vscode</c>, dotfiles) stay out, as they are never part of a blueprint.
    /// </summary>
    public static async Task<byte[]> TarGzFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative.Split('/').Any(part => part.StartsWith('.')))
                {
                    continue;
                }

                await tar.WriteEntryAsync(file, $"{root}/{relative}", cancellationToken);
            }
        }

        return buffer.ToArray();
    }
}
