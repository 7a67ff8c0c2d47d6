namespace Stratus.Server.Blueprints;

/// <summary>The archive kinds Cloudify accepts, with the extension its file server stores them under.</summary>
internal enum ArchiveFormat
{
    Zip,
    Tar,
    TarGz,
    TarBz2,
}
