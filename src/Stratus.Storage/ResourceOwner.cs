namespace Stratus.Storage;

/// <summary>
/// The resource a tree of stored files belongs to: its tenant, its <see cref="ResourceKinds">kind</see> and its id.
/// Plugin ids are unique across tenants, so a plugin's files may be looked up with a null <see cref="Tenant"/>.
/// </summary>
public sealed record ResourceOwner(string? Tenant, string Kind, string Id)
{
    public static ResourceOwner Blueprint(string tenant, string id) => new(tenant, ResourceKinds.Blueprint, id);

    public static ResourceOwner UploadedBlueprint(string tenant, string id) => new(tenant, ResourceKinds.UploadedBlueprint, id);

    public static ResourceOwner Plugin(string? tenant, string id) => new(tenant, ResourceKinds.Plugin, id);

    public static ResourceOwner Deployment(string tenant, string id) => new(tenant, ResourceKinds.Deployment, id);
}
