using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

public sealed record Deployment
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string BlueprintId { get; init; }

    public required string DisplayName { get; init; }

    public string? Description { get; init; }

    /// <summary>Resolved input values.</summary>
    public JsonObject Inputs { get; init; } = [];

    /// <summary>Output definitions (<c>{name: {value, description}}</c>), functions unevaluated.</summary>
    public JsonObject Outputs { get; init; } = [];

    public JsonObject Capabilities { get; init; } = [];

    public JsonObject Groups { get; init; } = [];

    public JsonObject ScalingGroups { get; init; } = [];

    public JsonObject Policies { get; init; } = [];

    /// <summary>Workflow records by name: <c>{operation, plugin, parameters, is_cascading, availability_rules}</c>.</summary>
    public JsonObject Workflows { get; init; } = [];

    /// <summary><c>active</c> or <c>inactive</c>.</summary>
    public string InstallationStatus { get; init; } = "inactive";

    /// <summary><c>good</c>, <c>in_progress</c> or <c>requires_attention</c>.</summary>
    public string DeploymentStatus { get; init; } = "good";

    public string? LatestExecutionId { get; init; }

    public string? CreateExecutionId { get; init; }

    /// <summary>Labels in (created_at, key, value) order; stored with the resource and read with it.</summary>
    public IReadOnlyList<ResourceLabel> Labels { get; init; } = [];

    /// <summary>Functions stay raw in the stored nodes and are evaluated whenever they are read or used.</summary>
    public bool RuntimeOnlyEvaluation { get; init; }
}
