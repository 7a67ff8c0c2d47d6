using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary>An uploaded plugin as <c>GET /plugins/{id}</c> returns it.</summary>
public sealed record Plugin
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("package_name")]
    public string? PackageName { get; init; }

    [JsonPropertyName("package_version")]
    public string? PackageVersion { get; init; }

    [JsonPropertyName("archive_name")]
    public string? ArchiveName { get; init; }

    [JsonPropertyName("distribution")]
    public string? Distribution { get; init; }

    [JsonPropertyName("distribution_release")]
    public string? DistributionRelease { get; init; }

    [JsonPropertyName("supported_platform")]
    public JsonNode? SupportedPlatform { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("uploaded_at")]
    public DateTimeOffset? UploadedAt { get; init; }

    [JsonPropertyName("visibility")]
    public string? Visibility { get; init; }

    [JsonPropertyName("tenant_name")]
    public string? TenantName { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    /// <summary>The import that selects exactly this plugin (<c>plugin:name?version=..&amp;distribution=..</c>).</summary>
    [JsonPropertyName("yaml_url_path")]
    public string? YamlUrlPath { get; init; }

    [JsonPropertyName("yaml_files_paths")]
    public IReadOnlyList<string>? YamlFilesPaths { get; init; }

    /// <summary>Per manager or agent: <c>{manager|agent, state, error}</c>.</summary>
    [JsonPropertyName("installation_state")]
    public JsonArray? InstallationState { get; init; }
}
