using System.Text.Json.Nodes;
using Stratus.Core.Model;

namespace Stratus.Storage;

/// <summary>What finishing or rolling back a deployment modification writes, besides its status.</summary>
public sealed record DeploymentModificationEnd
{
    public required string TenantName { get; init; }

    public required string Id { get; init; }

    /// <summary><see cref="DeploymentModificationStatus.Finished"/> or <see cref="DeploymentModificationStatus.RolledBack"/>.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Replaces the stored node_instances lists (a rollback adds before_rollback); null keeps them.</summary>
    public JsonObject? NodeInstances { get; init; }

    public IReadOnlyList<string> DeleteInstanceIds { get; init; } = [];

    /// <summary>Instance id to the target ids whose relationships it loses (finish: the removed targets).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> RemoveRelationshipsTo { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    /// <summary>Instances put back as they were (rollback): updated in place, or inserted when missing; version + 1.</summary>
    public IReadOnlyList<NodeInstance> RestoreInstances { get; init; } = [];

    /// <summary>Node id to its new number_of_instances (finish).</summary>
    public IReadOnlyDictionary<string, int> NodeInstanceCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Nodes whose planned_number_of_instances goes back to number_of_instances (rollback).</summary>
    public IReadOnlyList<string> ResetPlannedNodes { get; init; } = [];

    /// <summary>The deployment's scaling groups after the end, or null to leave them.</summary>
    public JsonObject? ScalingGroups { get; init; }
}
