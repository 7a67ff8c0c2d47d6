namespace Stratus.Archiving;

/// <summary>The archive kinds Cloudify accepts, with the extension its file server stores them under.</summary>
public enum ArchiveFormat
{
    Zip,
    Tar,
    TarGz,
    TarBz2,
}
