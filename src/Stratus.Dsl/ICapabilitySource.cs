using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Answers <c>get_capability</c>: the value of another deployment's capability, its own functions evaluated in that
/// deployment (Cloudify's manager), looked up where the caller may see it. Missing deployments or capabilities throw.
/// </summary>
public interface ICapabilitySource
{
    ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default);

    /// <summary>
    /// Answers <c>get_group_capability</c>: the deployments of a group with their capability definitions as stored
    /// (Cloudify reads them without evaluating them there). Missing groups throw.
    /// </summary>
    ValueTask<IReadOnlyList<GroupDeployment>> GetGroupDeploymentsAsync(string groupId, CancellationToken cancellationToken = default) =>
        throw new DeploymentPlanException("functions_evaluation_error", $"get_group_capability of group `{groupId}` cannot be answered here");
}
