using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>
/// One inter-deployment dependency: <see cref="SourceDeploymentId"/> uses <see cref="TargetDeploymentId"/> through
/// <see cref="DependencyCreator"/> (a blueprint path such as <c>nodes.app.properties.db.get_capability</c>, or a
/// caller's own string). The target is unknown (null) while only <see cref="TargetDeploymentFunc"/> names it.
/// </summary>
public sealed record InterDeploymentDependency
{
    public required string Id { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    public required DateTimeOffset CreatedAt { get; init; }

    public required string DependencyCreator { get; init; }

    /// <summary>Null when the source lives on another manager (<see cref="ExternalSource"/>).</summary>
    public string? SourceDeploymentId { get; init; }

    public string? TargetDeploymentId { get; init; }

    /// <summary><c>{function, context}</c> that names the target at runtime (Cloudify 7's shape), or a caller's own value.</summary>
    public JsonNode? TargetDeploymentFunc { get; init; }

    public JsonObject? ExternalSource { get; init; }

    public JsonObject? ExternalTarget { get; init; }
}
