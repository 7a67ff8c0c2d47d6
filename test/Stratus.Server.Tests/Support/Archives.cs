using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.BZip2;

namespace Stratus.Server.Tests.Support;

/// <summary>Builds blueprint archives in every accepted format, including deliberately malicious ones.</summary>
internal static class Archives
{
    public const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        description: Two tiers for the REST tests.
        imports:
          - cloudify/types/types.yaml
        inputs:
          count:
            type: integer
            default: 2
            constraints:
              - in_range: [1, 5]
          greeting:
            type: string
        node_templates:
          db:
            type: cloudify.nodes.Root
            interfaces:
              cloudify.interfaces.lifecycle:
                create: scripts/create.sh
          app:
            type: cloudify.nodes.Root
            capabilities:
              scalable:
                properties:
                  default_instances: 2
            relationships:
              - type: cloudify.relationships.connected_to
                target: db
        outputs:
          message:
            value: { concat: [{ get_input: greeting }, ' world'] }
        capabilities:
          endpoint:
            value: { get_input: greeting }
        """;

    public static IReadOnlyList<ArchiveEntry> ValidBlueprint(string folder = "bp") =>
    [
        new(folder + "/", Kind: EntryKind.Directory),
        new(folder + "/blueprint.yaml", Blueprint),
        new(folder + "/scripts/create.sh", "#!/bin/bash\necho created\n"),
    ];

    public static byte[] Zip(IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var zipEntry = zip.CreateEntry(entry.Name);
                if (entry.Kind == EntryKind.Symlink)
                {
                    zipEntry.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
                }

                if (entry.Kind != EntryKind.Directory)
                {
                    using var stream = zipEntry.Open();
                    stream.Write(Encoding.UTF8.GetBytes(entry.Kind == EntryKind.Symlink ? entry.LinkTarget : entry.Content));
                }
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Tar(IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var type = entry.Kind switch
                {
                    EntryKind.Directory => TarEntryType.Directory,
                    EntryKind.Symlink => TarEntryType.SymbolicLink,
                    EntryKind.HardLink => TarEntryType.HardLink,
                    _ => TarEntryType.RegularFile,
                };
                var tarEntry = new PaxTarEntry(type, entry.Name);
                if (entry.Kind is EntryKind.Symlink or EntryKind.HardLink)
                {
                    tarEntry.LinkName = entry.LinkTarget;
                }
                else if (entry.Kind == EntryKind.File)
                {
                    tarEntry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(entry.Content));
                }

                tar.WriteEntry(tarEntry);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] TarGz(IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Tar(entries));
        }

        return buffer.ToArray();
    }

    public static byte[] TarBz2(IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var bzip = BZip2Stream.Create(buffer, SharpCompress.Compressors.CompressionMode.Compress, decompressConcatenated: false, leaveOpen: true))
        {
            bzip.Write(Tar(entries));
        }

        return buffer.ToArray();
    }

    public static byte[] Build(string format, IEnumerable<ArchiveEntry> entries) => format switch
    {
        "zip" => Zip(entries),
        "tar" => Tar(entries),
        "tar.gz" => TarGz(entries),
        "tar.bz2" => TarBz2(entries),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
