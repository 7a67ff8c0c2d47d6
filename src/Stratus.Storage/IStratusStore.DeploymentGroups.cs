using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Creates or changes a deployment group in one transaction (see <see cref="DeploymentGroupWrite"/>) and returns it
    /// as stored. <c>not_found_error</c> for a missing group (when <see cref="DeploymentGroupWrite.CreateIfMissing"/> is
    /// false), blueprint or deployment; nothing is written then.
    /// </summary>
    Task<DeploymentGroup> WriteDeploymentGroupAsync(DeploymentGroupWrite write, CancellationToken cancellationToken = default);

    Task<DeploymentGroup?> GetDeploymentGroupAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, description, default_blueprint_id, created_at, visibility, created_by, tenant_name.</summary>
    Task<Page<DeploymentGroup>> ListDeploymentGroupsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a group (its deployments stay). False if it does not exist.</summary>
    Task<bool> DeleteDeploymentGroupAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a group and every deployment in it in one transaction, each as
    /// <see cref="DeleteDeploymentAsync(string, string, bool, CancellationToken)"/> does (a refusal of any member
    /// deletes nothing). The deleted deployments' ids; null if the group does not exist.
    /// </summary>
    Task<IReadOnlyList<string>?> DeleteDeploymentGroupAndMembersAsync(string tenantName, string id, bool force, CancellationToken cancellationToken = default);

    /// <summary>The ids of the groups each given deployment belongs to, in id order (deployments in no group are absent).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGroupIdsOfDeploymentsAsync(
        string tenantName, IReadOnlyCollection<string> deploymentIds, CancellationToken cancellationToken = default);
}
