namespace Stratus.Storage;

/// <summary>
/// A whole tree of files written with its resource's row. <see cref="Generation"/> names this upload: it changes with
/// every upload of the same id, so a manager's cached copy of an older upload is known to be stale.
/// </summary>
public sealed record ResourceFileSet(ResourceOwner Owner, string Generation, IReadOnlyList<ResourceFileSource> Files);
