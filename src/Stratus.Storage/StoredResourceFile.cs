namespace Stratus.Storage;

/// <summary>A stored file's header: its path in the tree, size in bytes, lowercase hex SHA-256 and the tree's generation.</summary>
public sealed record StoredResourceFile(string Path, long Size, string Sha256, string Generation);
