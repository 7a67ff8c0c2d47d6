using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Inserts a blueprint; <c>conflict_error</c> if the id exists in the tenant.</summary>
    Task InsertBlueprintAsync(Blueprint blueprint, CancellationToken cancellationToken = default);

    /// <summary>Inserts a blueprint and stores its files in the same transaction: both or neither.</summary>
    Task InsertBlueprintAsync(Blueprint blueprint, IReadOnlyList<ResourceFileSet> files, CancellationToken cancellationToken = default);

    Task<Blueprint?> GetBlueprintAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>Lists blueprints; filter/sort fields: id, created_at, updated_at, state, main_file_name, visibility, created_by.</summary>
    Task<Page<Blueprint>> ListBlueprintsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a blueprint and its stored files. Returns false if it does not exist. Throws <c>dependent_exists_error</c> while deployments use it.</summary>
    Task<bool> DeleteBlueprintAsync(string tenantName, string id, CancellationToken cancellationToken = default);
}
