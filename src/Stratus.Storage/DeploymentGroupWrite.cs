using System.Text.Json.Nodes;

namespace Stratus.Storage;

/// <summary>
/// One change of a deployment group: null attributes keep the stored value; <see cref="ReplaceMembers"/> empties the
/// membership before <see cref="AddDeploymentIds"/> are added; <see cref="RemoveDeploymentIds"/> go last.
/// </summary>
public sealed record DeploymentGroupWrite
{
    public required string TenantName { get; init; }

    public required string Id { get; init; }

    /// <summary>PUT creates a missing group (with these creator, time and visibility); PATCH does not.</summary>
    public bool CreateIfMissing { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string? Visibility { get; init; }

    public string? Description { get; init; }

    public string? DefaultBlueprintId { get; init; }

    public JsonObject? DefaultInputs { get; init; }

    public bool ReplaceMembers { get; init; }

    public IReadOnlyList<string> AddDeploymentIds { get; init; } = [];

    public IReadOnlyList<string> RemoveDeploymentIds { get; init; } = [];
}
