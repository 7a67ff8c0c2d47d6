using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Answers <c>get_capability</c>: the value of another deployment's capability, its own functions evaluated in that
/// deployment (Cloudify's manager), looked up where the caller may see it. Missing deployments or capabilities throw.
/// </summary>
public interface ICapabilitySource
{
    ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default);
}
