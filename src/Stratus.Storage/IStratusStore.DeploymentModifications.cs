using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Starts a modification in one transaction under the deployment's lock: <c>existing_started_deployment_modification_error</c>
    /// when one is already started, <c>conflict_error</c> when the deployment's instances are no longer
    /// <see cref="DeploymentModificationStart.ExpectedInstanceIds"/> (the plan was computed from a stale read),
    /// <c>not_found_error</c> when the deployment is gone. Inserts the row and the added instances, rewrites the related
    /// instances' relationships (version + 1), and records the planned counts on nodes and scaling groups.
    /// </summary>
    Task InsertDeploymentModificationAsync(DeploymentModificationStart start, CancellationToken cancellationToken = default);

    Task<DeploymentModification?> GetDeploymentModificationAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, deployment_id, status, created_at, ended_at, visibility, created_by, tenant_name.</summary>
    Task<Page<DeploymentModification>> ListDeploymentModificationsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a started modification (compare-and-set on <c>started</c>) and applies its instance and count changes in
    /// the same transaction. Returns the stored row; <c>deployment_modification_already_ended_error</c> when it had
    /// already ended, <c>not_found_error</c> when it does not exist.
    /// </summary>
    Task<DeploymentModification> EndDeploymentModificationAsync(DeploymentModificationEnd end, CancellationToken cancellationToken = default);
}
