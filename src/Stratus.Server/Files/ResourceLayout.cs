namespace Stratus.Server.Files;

/// <summary>Cloudify's file server layout under <c>DataDir/resources</c>.</summary>
internal sealed class ResourceLayout(string dataDir)
{
    public string Root { get; } = Path.GetFullPath(Path.Combine(dataDir, "resources"));

    public string Blueprint(string tenant, string blueprintId) => Path.Combine(Root, "blueprints", tenant, blueprintId);

    public string UploadedBlueprint(string tenant, string blueprintId) => Path.Combine(Root, "uploaded-blueprints", tenant, blueprintId);

    public string Deployment(string tenant, string deploymentId) => Path.Combine(Root, "deployments", tenant, deploymentId);

    /// <summary>An uploaded plugin's wagon and yaml files; not per tenant (plugin ids are unique across tenants).</summary>
    public string Plugin(string pluginId) => Path.Combine(Root, "plugins", pluginId);

    /// <summary>Where archives named by upload URLs are downloaded to (each file deleted once read); never served.</summary>
    public string Downloads() => Path.Combine(Root, ".downloads");

    /// <summary>Work area for uploads in progress; same volume as <see cref="Root"/> so moves are renames.</summary>
    public string Staging() => Path.Combine(Root, "uploaded-blueprints", ".uploading", Guid.NewGuid().ToString("N"));
}
