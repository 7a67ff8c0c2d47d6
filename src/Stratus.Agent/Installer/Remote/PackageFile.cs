namespace Stratus.Agent.Installer.Remote;

/// <summary>An agent tarball on the manager and the SHA-256 (hex) of its bytes.</summary>
internal sealed record PackageFile(string Path, string Sha256);
