using System.Formats.Tar;
using System.IO.Compression;
using SharpCompress.Compressors;
using SharpCompress.Compressors.BZip2;
using Stratus.Core.Errors;

namespace Stratus.Archiving;

/// <summary>
/// Extracts a blueprint archive (zip, tar, tar.gz, tar.bz2) into an empty directory, refusing anything that could
/// write outside it or exhaust the disk: <c>..</c> and absolute names, links and devices, duplicate entries, too many
/// entries, and more bytes than allowed (counted while writing, so a lying header or a zip bomb stops early).
/// On any refusal the caller deletes the directory; nothing here is trusted from the archive's own metadata.
/// </summary>
public sealed class BlueprintArchiveExtractor(ArchiveLimits limits)
{
    /// <summary>Extracts <paramref name="archivePath"/> into <paramref name="destination"/>; returns the format found.</summary>
    public ArchiveFormat Extract(string archivePath, string destination, CancellationToken cancellationToken = default)
    {
        var format = DetectFormat(archivePath);
        var state = new ExtractionState(Path.GetFullPath(destination), limits);
        Directory.CreateDirectory(state.Root);
        try
        {
            using var file = File.OpenRead(archivePath);
            switch (format)
            {
                case ArchiveFormat.Zip:
                    ExtractZip(file, state, cancellationToken);
                    break;
                case ArchiveFormat.Tar:
                    ExtractTar(file, state, cancellationToken);
                    break;
                case ArchiveFormat.TarGz:
                    using (var gzip = new GZipStream(file, System.IO.Compression.CompressionMode.Decompress))
                    {
                        ExtractTar(gzip, state, cancellationToken);
                    }

                    break;
                default:
                    using (var bzip = BZip2Stream.Create(file, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true))
                    {
                        ExtractTar(bzip, state, cancellationToken);
                    }

                    break;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or NotSupportedException)
        {
            throw Invalid($"the archive could not be read ({e.GetType().Name})");
        }

        return format;
    }

    /// <summary>The blueprint root: the single top-level folder when there is one, else the extraction root.</summary>
    public static string FindRoot(string destination)
    {
        var entries = Directory.GetFileSystemEntries(destination)
            .Where(e => Path.GetFileName(e) != "__MACOSX")
            .ToList();
        return entries.Count == 1 && Directory.Exists(entries[0]) ? entries[0] : destination;
    }

    internal static StratusException Invalid(string reason) =>
        StratusException.InvalidBlueprint("Invalid blueprint archive: " + reason);

    private static ArchiveFormat DetectFormat(string archivePath)
    {
        var head = new byte[512];
        int read;
        using (var file = File.OpenRead(archivePath))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        return ArchiveFormats.Detect(head.AsSpan(0, read))
            ?? throw Invalid("not a zip, tar, tar.gz or tar.bz2 archive");
    }

    private static void ExtractZip(Stream file, ExtractionState state, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            const int unixFileTypeMask = 0xF000;
            var unixMode = (entry.ExternalAttributes >> 16) & unixFileTypeMask;
            var isDirectory = entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');
            if (unixMode != 0 && unixMode != 0x8000 && unixMode != 0x4000)
            {
                throw Invalid($"entry `{entry.FullName}` is a link or a special file");
            }

            if (isDirectory || unixMode == 0x4000)
            {
                state.AddDirectory(entry.FullName);
                continue;
            }

            using var data = entry.Open();
            state.AddFile(entry.FullName, data, cancellationToken);
        }
    }

    private static void ExtractTar(Stream stream, ExtractionState state, CancellationToken cancellationToken)
    {
        using var reader = new TarReader(stream, leaveOpen: true);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (entry.DataStream is { } data)
                    {
                        state.AddFile(entry.Name, data, cancellationToken);
                    }
                    else
                    {
                        state.AddFile(entry.Name, Stream.Null, cancellationToken);
                    }

                    break;
                case TarEntryType.Directory:
                    state.AddDirectory(entry.Name);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                    break;
                default:
                    throw Invalid($"entry `{entry.Name}` is a {entry.EntryType}, only files and directories are allowed");
            }
        }
    }
}
