using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// What a deployment modification changes, in Cloudify's lists: each holds the changed instances (with
/// <c>modification</c> = added, removed, extended or reduced) followed by the untouched instances related to them,
/// whose <c>relationships</c> list only the relationships to changed ones.
/// </summary>
public sealed record DeploymentModificationPlan
{
    public required JsonArray AddedAndRelated { get; init; }

    public required JsonArray RemovedAndRelated { get; init; }

    public required JsonArray ExtendedAndRelated { get; init; }

    public required JsonArray ReducedAndRelated { get; init; }
}
