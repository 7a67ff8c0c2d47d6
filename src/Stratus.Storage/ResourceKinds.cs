namespace Stratus.Storage;

/// <summary>The kinds of stored resource file trees; each is named after its folder under the file server's root.</summary>
public static class ResourceKinds
{
    /// <summary>A blueprint's extracted files (<c>blueprints/&lt;tenant&gt;/&lt;id&gt;</c>).</summary>
    public const string Blueprint = "blueprints";

    /// <summary>The archive a blueprint was uploaded as (<c>uploaded-blueprints/&lt;tenant&gt;/&lt;id&gt;</c>).</summary>
    public const string UploadedBlueprint = "uploaded-blueprints";

    /// <summary>A plugin's wagon and yaml files (<c>plugins/&lt;id&gt;</c>; plugin ids are unique across tenants).</summary>
    public const string Plugin = "plugins";

    /// <summary>A deployment's own files (<c>deployments/&lt;tenant&gt;/&lt;id&gt;</c>).</summary>
    public const string Deployment = "deployments";

    public static IReadOnlyList<string> All { get; } = [Blueprint, UploadedBlueprint, Plugin, Deployment];
}
