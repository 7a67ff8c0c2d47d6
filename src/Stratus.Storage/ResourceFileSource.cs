namespace Stratus.Storage;

/// <summary>One file to store: its path relative to its tree (forward slashes) and how to open its content.</summary>
public sealed record ResourceFileSource(string Path, Func<Stream> Open);
