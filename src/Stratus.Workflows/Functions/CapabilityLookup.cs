using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Storage;
using Stratus.Workflows.Engine;

namespace Stratus.Workflows.Functions;

/// <summary>
/// The one answer to <c>get_capability</c> and <c>get_group_capability</c> for the REST service and the engine: the
/// target deployment (or group) read from the store in <paramref name="tenantName"/> where <paramref name="canSee"/>
/// lets the caller see it, the capability checked as declared and evaluated in that deployment's own context (a
/// group's members are answered as stored). Callers choose only the tenant, the visibility rule and how a missing
/// resource is reported (<paramref name="notFound"/> gets Cloudify's model name and the id).
/// </summary>
public sealed class CapabilityLookup(
    IStratusStore store,
    string tenantName,
    Func<string, string, bool> canSee,
    Func<string, string, Exception> notFound,
    SecretCache? secrets = null) : ICapabilitySource
{
    private const int MaxDepth = 16;

    private int _depth;

    public async ValueTask<JsonNode?> GetCapabilityAsync(string deploymentId, string capability, CancellationToken cancellationToken = default)
    {
        var deployment = await store.GetDeploymentAsync(tenantName, deploymentId, cancellationToken);
        if (deployment is null || !canSee(deployment.Visibility, deployment.CreatedBy))
        {
            throw notFound("Deployment", deploymentId);
        }

        if (deployment.Capabilities[capability] is not JsonObject definition)
        {
            throw new DeploymentPlanException(
                "functions_evaluation_error", $"Requested capability `{capability}` is not declared in deployment `{deploymentId}`");
        }

        if (++_depth > MaxDepth)
        {
            throw new DeploymentPlanException("functions_evaluation_error", $"get_capability of `{deploymentId}` leads back into itself");
        }

        try
        {
            var context = await StoreFunctionContext.LoadAsync(store, deployment, null, null, null, secrets, cancellationToken);
            return await IntrinsicFunctions.EvaluateAsync(definition["value"]?.DeepClone(), context, this, cancellationToken);
        }
        finally
        {
            _depth--;
        }
    }

    public async ValueTask<IReadOnlyList<GroupDeployment>> GetGroupDeploymentsAsync(string groupId, CancellationToken cancellationToken = default)
    {
        var group = await store.GetDeploymentGroupAsync(tenantName, groupId, cancellationToken);
        if (group is null || !canSee(group.Visibility, group.CreatedBy))
        {
            throw notFound("DeploymentGroup", groupId);
        }

        if (group.DeploymentIds.Count == 0)
        {
            return [];
        }

        var members = await store.ListDeploymentsAsync(
            tenantName,
            new ListQuery { GetAll = true, Filters = new Dictionary<string, IReadOnlyList<string>> { ["id"] = group.DeploymentIds } },
            cancellationToken);
        return [.. members.Items.Where(d => canSee(d.Visibility, d.CreatedBy)).Select(d => new GroupDeployment(d.Id, d.Capabilities))];
    }

    /// <summary>The engine's lookup: the execution's tenant, every deployment in it, misses as evaluation errors.</summary>
    public static CapabilityLookup ForTenant(IStratusStore store, string tenantName, SecretCache? secrets = null) =>
        new(store, tenantName, (_, _) => true, (kind, id) => new DeploymentPlanException(
            "functions_evaluation_error", $"Requested `{kind}` with ID `{id}` was not found"), secrets);
}
