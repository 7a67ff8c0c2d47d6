using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>A named set of deployments of one tenant (Cloudify's deployment group), with defaults for new members.</summary>
public sealed record DeploymentGroup
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset CreatedAt { get; init; }

    public string? Description { get; init; }

    public string? DefaultBlueprintId { get; init; }

    public JsonObject? DefaultInputs { get; init; }

    public int CreationCounter { get; init; }

    /// <summary>Member deployment ids, in id order.</summary>
    public IReadOnlyList<string> DeploymentIds { get; init; } = [];
}
