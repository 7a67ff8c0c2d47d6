using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>A node of a deployment, as the plan made it (Cloudify's <c>nodes</c> row).</summary>
public sealed record Node
{
    public required string Id { get; init; }

    public required string DeploymentId { get; init; }

    public required string BlueprintId { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required string Type { get; init; }

    public IReadOnlyList<string> TypeHierarchy { get; init; } = [];

    public JsonObject Properties { get; init; } = [];

    /// <summary>Operation records by name (long and short names), as in the plan.</summary>
    public JsonObject Operations { get; init; } = [];

    /// <summary>Relationship records: <c>{type, target_id, type_hierarchy, properties, source_operations, target_operations}</c>.</summary>
    public JsonArray Relationships { get; init; } = [];

    public JsonArray Plugins { get; init; } = [];

    public JsonArray PluginsToInstall { get; init; } = [];

    public string? HostId { get; init; }

    public int NumberOfInstances { get; init; } = 1;

    public int PlannedNumberOfInstances { get; init; } = 1;

    public int DeployNumberOfInstances { get; init; } = 1;

    public int MinNumberOfInstances { get; init; }

    public int MaxNumberOfInstances { get; init; } = -1;
}
