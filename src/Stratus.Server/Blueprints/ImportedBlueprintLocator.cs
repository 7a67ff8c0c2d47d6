using Stratus.Core.Model;
using Stratus.Server.Files;
using Stratus.Storage;

namespace Stratus.Server.Blueprints;

/// <summary>
/// Finds the uploaded blueprint a <c>ns--blueprint:&lt;id&gt;</c> import names, as Cloudify's manager does: in the
/// caller's tenant, else a blueprint of another tenant whose visibility is global.
/// </summary>
internal sealed class ImportedBlueprintLocator(IStratusStore store, ResourceCache cache)
{
    public async Task<ImportedBlueprint?> FindAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        var blueprint = await store.GetBlueprintAsync(tenant, id, cancellationToken);
        if (blueprint is null)
        {
            foreach (var other in await store.ListTenantsAsync(cancellationToken))
            {
                if (other.Name != tenant
                    && await store.GetBlueprintAsync(other.Name, id, cancellationToken) is { Visibility: Visibility.Global } global)
                {
                    blueprint = global;
                    break;
                }
            }
        }

        if (blueprint is null || blueprint.State != "uploaded")
        {
            return null;
        }

        // Its files come from the database into the local cache (whichever manager it was uploaded to).
        var folder = await cache.EnsureTreeAsync(ResourceOwner.Blueprint(blueprint.TenantName, blueprint.Id), cancellationToken);
        var mainFile = folder is null ? null : Path.Combine(folder, blueprint.MainFileName);
        return mainFile is not null && File.Exists(mainFile) ? new ImportedBlueprint(blueprint.Id, folder!, mainFile) : null;
    }
}
