using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Storage;

namespace Stratus.Server.Deployments;

/// <summary>
/// The inter-deployment dependencies a new deployment records, one per <c>get_capability</c> use of its plan (per node
/// instance inside nodes), as Cloudify's create_deployment_environment creates them: a literal target that the caller
/// cannot find is recorded without a target; a target named by a function keeps <c>{function, context}</c>.
/// </summary>
internal static class DeploymentDependencies
{
    public static async Task<IReadOnlyList<InterDeploymentDependency>> FromPlanAsync(
        IStratusStore store, Caller caller, Deployment deployment, DeploymentPlan plan, CancellationToken cancellationToken)
    {
        var uses = InterDeploymentFunctions.Find(plan);
        if (uses.Count == 0)
        {
            return [];
        }

        var literal = uses.Select(u => u.TargetDeploymentId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var existing = literal.Count == 0
            ? []
            : (await store.ListDeploymentsAsync(caller.Tenant, DeploymentReads.In("id", literal) with { PrivateVisibleTo = caller.PrivateFilter }, cancellationToken))
                .Items.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. uses.Select(u => new InterDeploymentDependency
            {
                Id = Guid.NewGuid().ToString(),
                TenantName = deployment.TenantName,
                CreatedBy = deployment.CreatedBy,
                CreatedAt = deployment.CreatedAt,
                DependencyCreator = u.FunctionIdentifier,
                SourceDeploymentId = deployment.Id,
                TargetDeploymentId = u.TargetDeploymentId is { } target && existing.Contains(target) ? target : null,
                TargetDeploymentFunc = u.TargetFunction is null
                    ? null
                    : new JsonObject { ["function"] = u.TargetFunction.DeepClone(), ["context"] = u.Context.DeepClone() },
            }),
        ];
    }
}
