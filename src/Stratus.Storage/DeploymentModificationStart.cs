using System.Text.Json.Nodes;
using Stratus.Core.Model;

namespace Stratus.Storage;

/// <summary>What starting a deployment modification writes, computed by the caller from the instances it read.</summary>
public sealed record DeploymentModificationStart
{
    public required DeploymentModification Modification { get; init; }

    /// <summary>The deployment's instance ids the plan was computed from; the start fails if they changed meanwhile.</summary>
    public required IReadOnlySet<string> ExpectedInstanceIds { get; init; }

    /// <summary>New instances (state uninitialized).</summary>
    public IReadOnlyList<NodeInstance> AddedInstances { get; init; } = [];

    /// <summary>Existing instances whose relationships now include added targets: id to the full new list.</summary>
    public IReadOnlyDictionary<string, JsonArray> Relationships { get; init; } = new Dictionary<string, JsonArray>();

    /// <summary>Node id to its new planned_number_of_instances.</summary>
    public IReadOnlyDictionary<string, int> PlannedNodeInstances { get; init; } = new Dictionary<string, int>();

    /// <summary>The deployment's scaling groups with new planned_instances, or null to leave them.</summary>
    public JsonObject? ScalingGroups { get; init; }
}
