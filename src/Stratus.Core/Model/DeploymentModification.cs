using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>
/// A change of a deployment's instance counts (Cloudify's deployment modification, the ground of scale): started with
/// the added instances stored <c>uninitialized</c>, then finished (removed instances deleted) or rolled back (the
/// instances as they were before it). <see cref="NodeInstances"/> keeps Cloudify's lists: <c>added_and_related</c>,
/// <c>removed_and_related</c>, <c>extended_and_related</c>, <c>reduced_and_related</c>, <c>before_modification</c>
/// and, after a rollback, <c>before_rollback</c>.
/// </summary>
public sealed record DeploymentModification
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string DeploymentId { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public string Status { get; init; } = DeploymentModificationStatus.Started;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The request: node or scaling-group name to <c>{instances, removed_ids_include_hint, removed_ids_exclude_hint}</c>.</summary>
    public JsonObject ModifiedNodes { get; init; } = [];

    public JsonObject NodeInstances { get; init; } = [];

    public JsonObject Context { get; init; } = [];
}
