using System.Text.Json.Nodes;
using Stratus.Dsl;
using Stratus.Storage;

namespace Stratus.Workflows.Engine;

/// <summary><c>get_capability</c> in operation inputs: another deployment of the tenant, its capability evaluated there.</summary>
internal sealed class StoreCapabilities(IStratusStore store, string tenantName, SecretCache? secrets = null) : ICapabilitySource
{
    private int _depth;

    public async ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default)
    {
        var deployment = await store.GetDeploymentAsync(tenantName, deploymentId, cancellationToken)
            ?? throw new DeploymentPlanException("functions_evaluation_error", $"Requested `Deployment` with ID `{deploymentId}` was not found");
        if (deployment.Capabilities[capability] is not JsonObject definition)
        {
            throw new DeploymentPlanException(
                "functions_evaluation_error", $"Requested capability `{capability}` is not declared in deployment `{deploymentId}`");
        }

        if (++_depth > 16)
        {
            throw new DeploymentPlanException("functions_evaluation_error", $"get_capability of `{deploymentId}` leads back into itself");
        }

        try
        {
            var context = await StoreFunctionContext.LoadAsync(store, tenantName, deploymentId, null, null, null, secrets, cancellationToken);
            return await IntrinsicFunctions.EvaluateAsync(definition["value"]?.DeepClone(), context, this, cancellationToken);
        }
        finally
        {
            _depth--;
        }
    }
}
