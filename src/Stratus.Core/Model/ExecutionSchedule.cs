using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>
/// A workflow run on a deployment at recurring times (Cloudify's <c>ExecutionSchedule</c>); the id is unique per
/// deployment. <see cref="Rule"/> is Cloudify's rule object: <c>{recurrence, count, weekdays}</c> or <c>{rrule}</c>.
/// </summary>
public sealed record ExecutionSchedule
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string DeploymentId { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset CreatedAt { get; init; }

    public required string WorkflowId { get; init; }

    public JsonObject? Parameters { get; init; }

    /// <summary><c>allow_custom_parameters</c>, <c>force</c>, <c>is_dry_run</c>, <c>wait_after_fail</c>.</summary>
    public JsonObject ExecutionArguments { get; init; } = [];

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public JsonObject Rule { get; init; } = [];

    /// <summary>Minutes after an occurrence within which it may still run.</summary>
    public int Slip { get; init; }

    public bool StopOnFail { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>When the schedule fires next; null when it has no further occurrence.</summary>
    public DateTimeOffset? NextOccurrence { get; init; }

    public string? LatestExecutionId { get; init; }
}
