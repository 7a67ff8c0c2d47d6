namespace Stratus.Archiving;

public static class ArchiveFormats
{
    public static string Extension(this ArchiveFormat format) => format switch
    {
        ArchiveFormat.Zip => "zip",
        ArchiveFormat.Tar => "tar",
        ArchiveFormat.TarGz => "tar.gz",
        _ => "tar.bz2",
    };

    /// <summary>Recognises the format from its leading bytes (never from a client-supplied name).</summary>
    public static ArchiveFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] is 3 or 5) && (head[3] is 4 or 6))
        {
            return ArchiveFormat.Zip;
        }

        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return ArchiveFormat.TarGz;
        }

        if (head.Length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h')
        {
            return ArchiveFormat.TarBz2;
        }

        if (head.Length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r')
        {
            return ArchiveFormat.Tar;
        }

        return null;
    }
}
