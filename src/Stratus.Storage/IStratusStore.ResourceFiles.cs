namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// The files stored for <paramref name="owner"/> (one generation), ordered by path; empty when it has none.
    /// </summary>
    Task<IReadOnlyList<StoredResourceFile>> ListResourceFilesAsync(ResourceOwner owner, CancellationToken cancellationToken = default);

    /// <summary>The generation of the files stored for <paramref name="owner"/>; null when it has none. One indexed row read.</summary>
    Task<string?> GetResourceGenerationAsync(ResourceOwner owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams one stored file of generation <paramref name="generation"/> into <paramref name="destination"/> chunk by
    /// chunk, read in one statement. Returns false (having written nothing) when no such file of that generation exists.
    /// </summary>
    Task<bool> CopyResourceFileAsync(
        ResourceOwner owner, string generation, string path, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores files found outside the database (a data folder of an older version) for a resource whose row exists and
    /// which has no stored files yet, in one transaction. Returns false, storing nothing, when the row is gone or files
    /// are already stored (another manager imported them first).
    /// </summary>
    Task<bool> ImportResourceFilesAsync(ResourceFileSet files, CancellationToken cancellationToken = default);

    /// <summary>The resources of <paramref name="kind"/> (by their rows) that have no stored files, by tenant and id.</summary>
    Task<IReadOnlyList<ResourceOwner>> ListResourcesWithoutFilesAsync(string kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="value"/> under <paramref name="name"/> unless a value is already recorded; returns the
    /// recorded value (this one, or the one recorded first). Cluster-wide settings such as the encryption key check.
    /// </summary>
    Task<string> RecordClusterSettingAsync(string name, string value, CancellationToken cancellationToken = default);

    /// <summary>The value recorded under <paramref name="name"/>, or null.</summary>
    Task<string?> GetClusterSettingAsync(string name, CancellationToken cancellationToken = default);
}
