using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Inserts a plugin. <c>conflict_error</c> when the id exists (in any tenant: plugin files are not per tenant),
    /// when the same package name and archive name is visible to the tenant (its own or a global one; for a global
    /// plugin, in any tenant), or when the tenant already has the same package name, version and distribution.
    /// </summary>
    Task InsertPluginAsync(Plugin plugin, CancellationToken cancellationToken = default);

    /// <summary>Inserts a plugin and stores its files (wagon, yaml) in the same transaction: both or neither.</summary>
    Task InsertPluginAsync(Plugin plugin, IReadOnlyList<ResourceFileSet> files, CancellationToken cancellationToken = default);

    /// <summary>A plugin of <paramref name="tenantName"/>, or a global one of any tenant.</summary>
    Task<Plugin?> GetPluginAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the tenant's plugins and every global plugin; filter/sort fields: id, package_name, package_version,
    /// distribution, distribution_release, distribution_version, supported_platform, archive_name, title,
    /// uploaded_at, visibility, created_by, tenant_name; <c>_search</c> matches package_name.
    /// </summary>
    Task<Page<Plugin>> ListPluginsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a plugin owned by <paramref name="tenantName"/> and its stored files. Returns false if it does not exist there.</summary>
    Task<bool> DeletePluginAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-set of a plugin's visibility: changes it only while it is still <paramref name="expected"/>.
    /// <c>conflict_error</c> when making it global would clash with the same package in another tenant.
    /// Returns false if the plugin is gone or its visibility changed meanwhile.
    /// </summary>
    Task<bool> SetPluginVisibilityAsync(string tenantName, string id, string expected, string visibility, CancellationToken cancellationToken = default);
}
