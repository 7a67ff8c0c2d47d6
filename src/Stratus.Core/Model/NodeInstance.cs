using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

public sealed record NodeInstance
{
    public required string Id { get; init; }

    public required string NodeId { get; init; }

    public required string DeploymentId { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public string? HostId { get; init; }

    /// <summary>1-based position among the instances of its node.</summary>
    public int Index { get; init; } = 1;

    /// <summary><c>[{type, target_name, target_id}]</c> in declaration order.</summary>
    public JsonArray Relationships { get; init; } = [];

    public JsonObject RuntimeProperties { get; init; } = [];

    public JsonObject? SystemProperties { get; init; }

    /// <summary><c>[{name, id}]</c>.</summary>
    public JsonArray ScalingGroups { get; init; } = [];

    public string State { get; init; } = NodeInstanceState.Uninitialized;

    /// <summary>Optimistic-lock version; every update increments it.</summary>
    public long Version { get; init; } = 1;
}
