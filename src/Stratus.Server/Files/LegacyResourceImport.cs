using Microsoft.Extensions.Logging;
using Stratus.Storage;

namespace Stratus.Server.Files;

/// <summary>
/// A data folder of an older version keeps its uploaded files only on disk. At start every resource whose row has no
/// stored files and whose folder exists here is imported into the database (one transaction per resource, skipped
/// when another manager imported it first), and the folder becomes the current cached copy. Running it again finds
/// nothing to do.
/// </summary>
internal sealed partial class LegacyResourceImport(IStratusStore store, ResourceCache cache, ILogger<LegacyResourceImport> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var imported = 0;
        foreach (var kind in ResourceKinds.All)
        {
            foreach (var owner in await store.ListResourcesWithoutFilesAsync(kind, cancellationToken))
            {
                var folder = cache.TreePath(owner);
                if (!Directory.Exists(folder) || new DirectoryInfo(folder).LinkTarget is not null)
                {
                    continue;
                }

                var files = ResourceCache.FilesOf(folder);
                var generation = Guid.NewGuid().ToString("N");
                if (files.Count > 0 && await store.ImportResourceFilesAsync(new ResourceFileSet(owner, generation, files), cancellationToken))
                {
                    cache.MarkCurrent(owner, generation);
                    imported++;
                    LogImported(logger, owner.Kind, owner.Tenant ?? "", owner.Id, files.Count);
                }
            }
        }

        return imported;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Count} files of {Kind} {Tenant}/{Id} from the data folder into the database")]
    private static partial void LogImported(ILogger logger, string kind, string tenant, string id, int count);
}
