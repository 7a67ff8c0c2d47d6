using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Deployments;

/// <summary>
/// <c>get_capability</c> as Cloudify's manager answers it: the deployment looked up where the caller may see it, its
/// capability's value evaluated in that deployment's own context.
/// </summary>
internal sealed class StoredCapabilities(IStratusStore store, Caller caller, SecretCache? secrets = null) : ICapabilitySource
{
    private int _depth;

    public async ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default)
    {
        var deployment = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, deploymentId, cancellationToken))
            ?? throw ResourceIds.NotFound("Deployment", deploymentId);
        if (deployment.Capabilities[capability] is not JsonObject definition)
        {
            throw new StratusException(
                ErrorCodes.FunctionsEvaluation, 400, $"Requested capability `{capability}` is not declared in deployment `{deploymentId}`");
        }

        if (++_depth > 16)
        {
            throw new StratusException(ErrorCodes.FunctionsEvaluation, 400, $"get_capability of `{deploymentId}` leads back into itself");
        }

        try
        {
            var context = await DeploymentReads.FunctionContextAsync(store, deployment, null, null, null, secrets, cancellationToken);
            return await IntrinsicFunctions.EvaluateAsync(definition["value"]?.DeepClone(), context, this, cancellationToken);
        }
        finally
        {
            _depth--;
        }
    }
}
