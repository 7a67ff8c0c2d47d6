using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

public sealed record Blueprint
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string MainFileName { get; init; }

    /// <summary>The parsed plan in Cloudify's shape (nodes, workflows, inputs, outputs, ...).</summary>
    public JsonObject? Plan { get; init; }

    public string? Description { get; init; }

    /// <summary>BlueprintUploadState: pending, uploading, extracting, parsing, uploaded, failed_*, invalid.</summary>
    public string State { get; init; } = "uploaded";

    public string? Error { get; init; }

    public bool IsHidden { get; init; }

    /// <summary>Labels in (created_at, key, value) order; stored with the resource and read with it.</summary>
    public IReadOnlyList<ResourceLabel> Labels { get; init; } = [];
}
