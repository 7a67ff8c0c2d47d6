using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Plugins;

/// <summary>A plugin in Cloudify 7.1's shape (<c>Plugin.to_response</c>: columns, <c>installation_state</c>, yaml paths).</summary>
internal static class PluginRenderer
{
    private static readonly string[] Listable =
    [
        "id", "package_name", "package_version", "package_source", "archive_name", "distribution", "distribution_version",
        "distribution_release", "title", "uploaded_at", "visibility", "created_by", "tenant_name",
    ];

    public static readonly ResourceFields Fields = new(
        Sortable: Listable,
        Filterable: Listable,
        Includable:
        [
            "archive_name", "blueprint_labels", "created_by", "distribution", "distribution_release", "distribution_version",
            "excluded_wheels", "id", "installation_state", "labels", "package_name", "package_source", "package_version",
            "private_resource", "resource_availability", "resource_tags", "supported_platform", "supported_py_versions",
            "tenant_name", "title", "uploaded_at", "visibility", "wheels", "yaml_files_paths", "yaml_url_path",
        ]);

    public static JsonObject Render(Plugin p) => new()
    {
        ["archive_name"] = p.ArchiveName,
        ["blueprint_labels"] = Wire.Clone(p.BlueprintLabels),
        ["created_by"] = p.CreatedBy,
        ["distribution"] = p.Distribution,
        ["distribution_release"] = p.DistributionRelease,
        ["distribution_version"] = p.DistributionVersion,
        ["excluded_wheels"] = Wire.Clone(p.ExcludedWheels),
        ["id"] = p.Id,

        // Wagons are stored and served but never installed here (no package index to install their wheels from), so
        // no manager or agent reports a state for them.
        ["installation_state"] = new JsonArray(),
        ["labels"] = Wire.Clone(p.Labels),
        ["package_name"] = p.PackageName,
        ["package_source"] = p.PackageSource,
        ["package_version"] = p.PackageVersion,
        ["private_resource"] = p.Visibility == Visibility.Private,
        ["resource_availability"] = p.Visibility,
        ["resource_tags"] = Wire.Clone(p.ResourceTags),
        ["supported_platform"] = Wire.Clone(p.SupportedPlatform),
        ["supported_py_versions"] = Wire.Clone(p.SupportedPyVersions),
        ["tenant_name"] = p.TenantName,
        ["title"] = p.Title,
        ["uploaded_at"] = Wire.Timestamp(p.UploadedAt),
        ["visibility"] = p.Visibility,
        ["wheels"] = Wire.Clone(p.Wheels),
        ["yaml_files_paths"] = new JsonArray([.. p.YamlFiles.Select(f => (JsonNode)$"plugins/{p.Id}/{f}")]),
        ["yaml_url_path"] = p.YamlFiles.Count == 0 ? "" : $"plugin:{p.PackageName}?version={p.PackageVersion ?? "None"}&distribution={p.Distribution ?? "None"}",
    };
}
