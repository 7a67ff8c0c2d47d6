using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Inserts a deployment with all its nodes and node instances in one transaction (batched inserts);
    /// <c>conflict_error</c> if the id exists in the tenant, <c>not_found_error</c> if the blueprint does not.
    /// </summary>
    Task InsertDeploymentAsync(
        Deployment deployment,
        IReadOnlyList<Node> nodes,
        IReadOnlyList<NodeInstance> nodeInstances,
        CancellationToken cancellationToken = default);

    Task<Deployment?> GetDeploymentAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, blueprint_id, display_name, created_at, updated_at, installation_status, deployment_status, visibility, created_by.</summary>
    Task<Page<Deployment>> ListDeploymentsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Sets installation status, deployment status and latest execution (null arguments keep the stored value).</summary>
    Task UpdateDeploymentStatusAsync(
        string tenantName,
        string id,
        string? installationStatus,
        string? deploymentStatus,
        string? latestExecutionId,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the deployment with its nodes, instances, executions, graphs, operations, events and stored files. False if absent;
    /// <c>dependent_exists_error</c> if an execution of it is active or waiting (checked in the same transaction).
    /// </summary>
    Task<bool> DeleteDeploymentAsync(string tenantName, string id, CancellationToken cancellationToken = default);
}
