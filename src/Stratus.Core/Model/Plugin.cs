using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>
/// An uploaded plugin: a wagon's metadata (its <c>package.json</c>) plus what the upload added. The files live in the
/// file server under <c>plugins/&lt;id&gt;/</c>, so ids are unique across tenants.
/// </summary>
public sealed record Plugin
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset UploadedAt { get; init; }

    public required string PackageName { get; init; }

    public string? PackageVersion { get; init; }

    public string? PackageSource { get; init; }

    /// <summary>The wagon's file name under <c>plugins/&lt;id&gt;/</c>.</summary>
    public required string ArchiveName { get; init; }

    public string? Distribution { get; init; }

    public string? DistributionVersion { get; init; }

    public string? DistributionRelease { get; init; }

    public JsonNode? SupportedPlatform { get; init; }

    public JsonNode? SupportedPyVersions { get; init; }

    public JsonNode? Wheels { get; init; }

    public JsonNode? ExcludedWheels { get; init; }

    public string? Title { get; init; }

    public JsonNode? BlueprintLabels { get; init; }

    public JsonNode? Labels { get; init; }

    public JsonNode? ResourceTags { get; init; }

    /// <summary>The plugin's yaml files, relative to the plugin folder, sorted.</summary>
    public IReadOnlyList<string> YamlFiles { get; init; } = [];
}
