using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Archiving;
using Stratus.Core.Errors;
using Stratus.Server.Blueprints;

namespace Stratus.Server.Plugins;

/// <summary>
/// Reads a wagon's <c>&lt;top folder&gt;/package.json</c> without extracting anything: the wagon is stored as uploaded,
/// so only this one small entry is ever read, with bounds on its size, the entries walked and the bytes decompressed.
/// </summary>
internal static class WagonMetadata
{
    private const int MaxMetadataBytes = 1024 * 1024;
    private const int MaxEntries = 100_000;

    /// <summary>
    /// The metadata when <paramref name="path"/> is a readable wagon (a tar.gz, tar or zip holding a top-level
    /// package.json); null for anything else, which the caller then tries as a zip of a wagon and yaml files.
    /// </summary>
    public static JsonObject? ReadIfWagon(string path, long maxDecompressedBytes, CancellationToken cancellationToken)
    {
        try
        {
            return TryRead(path, maxDecompressedBytes, cancellationToken);
        }
        catch (StratusException)
        {
            return null;
        }
    }

    /// <summary>The wagon's metadata; <c>invalid_plugin_error</c> when it cannot be read.</summary>
    public static JsonObject Read(string path, long maxDecompressedBytes, CancellationToken cancellationToken) =>
        TryRead(path, maxDecompressedBytes, cancellationToken)
        ?? throw Unreadable("WagonError", "package.json was not found in the archive");

    private static JsonObject? TryRead(string path, long maxDecompressedBytes, CancellationToken cancellationToken)
    {
        byte[]? json;
        try
        {
            var head = new byte[512];
            int read;
            using (var probe = File.OpenRead(path))
            {
                read = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }

            using var file = File.OpenRead(path);
            json = ArchiveFormats.Detect(head.AsSpan(0, read)) switch
            {
                ArchiveFormat.TarGz => FromTar(new BoundedStream(new GZipStream(file, CompressionMode.Decompress), maxDecompressedBytes), cancellationToken),
                ArchiveFormat.Tar => FromTar(file, cancellationToken),
                ArchiveFormat.Zip => FromZip(file, cancellationToken),
                _ => null,
            };
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or NotSupportedException)
        {
            throw Unreadable(e.GetType().Name, e.Message);
        }

        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw Unreadable("WagonError", "package.json is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Unreadable("JSONDecodeError", e.Message);
        }
    }

    private static byte[]? FromTar(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new TarReader(stream, leaveOpen: false);
        var entries = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++entries > MaxEntries)
            {
                throw Unreadable("WagonError", $"the archive holds more than {MaxEntries} entries");
            }

            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && IsMetadataName(entry.Name))
            {
                return entry.DataStream is { } data ? ReadBounded(data, entry.Length) : [];
            }
        }

        return null;
    }

    private static byte[]? FromZip(Stream stream, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsMetadataName(entry.FullName))
            {
                using var data = entry.Open();
                return ReadBounded(data, entry.Length);
            }
        }

        return null;
    }

    /// <summary><c>folder/package.json</c>: wagon keeps its metadata in the archive's single top folder.</summary>
    private static bool IsMetadataName(string name)
    {
        var segments = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        return segments.Length == 2 && segments[1] == "package.json" && segments[0] != "..";
    }

    private static byte[] ReadBounded(Stream data, long declaredLength)
    {
        if (declaredLength > MaxMetadataBytes)
        {
            throw Unreadable("WagonError", $"package.json is larger than {MaxMetadataBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = data.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxMetadataBytes)
            {
                throw Unreadable("WagonError", $"package.json is larger than {MaxMetadataBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    internal static StratusException Unreadable(string kind, string reason) =>
        StratusException.InvalidPlugin($"The provided wagon archive can not be read.\n{kind}: {reason}");
}
