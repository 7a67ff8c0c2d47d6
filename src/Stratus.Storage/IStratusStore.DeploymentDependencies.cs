using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// <see cref="InsertDeploymentAsync(Deployment, IReadOnlyList{Node}, IReadOnlyList{NodeInstance}, CancellationToken)"/>
    /// together with the deployment's inter-deployment dependencies, in the same transaction.
    /// </summary>
    Task InsertDeploymentAsync(
        Deployment deployment,
        IReadOnlyList<Node> nodes,
        IReadOnlyList<NodeInstance> nodeInstances,
        IReadOnlyList<InterDeploymentDependency> dependencies,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts dependencies of one tenant in one transaction. <c>conflict_error</c> when an id exists or when a
    /// dependency with both a source and a target would close a cycle (the target already depends, directly or
    /// transitively, on the source, or is the source).
    /// </summary>
    Task InsertDependenciesAsync(string tenantName, IReadOnlyList<InterDeploymentDependency> dependencies, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the tenant's dependencies; filter/sort fields: id, dependency_creator, source_deployment_id,
    /// target_deployment_id, created_at, visibility, created_by, tenant_name.
    /// </summary>
    Task<Page<InterDeploymentDependency>> ListDependenciesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the one dependency with this creator and source (and target, when given; null matches any target).
    /// Returns how many matched: 1 when it was deleted; 0, or 2 and more (ambiguous), delete nothing.
    /// </summary>
    Task<int> DeleteDependenciesAsync(
        string tenantName, string dependencyCreator, string? sourceDeploymentId, string? targetDeploymentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the target of a dependency that named it only through a function (compare-and-set: only while its target
    /// is still <paramref name="expectedTargetId"/>). False when it is gone, changed meanwhile, or the new target would
    /// close a cycle.
    /// </summary>
    Task<bool> SetDependencyTargetAsync(
        string tenantName, string id, string? expectedTargetId, string targetDeploymentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="DeleteDeploymentAsync(string, string, CancellationToken)"/>, and unless <paramref name="force"/>,
    /// <c>dependent_exists_error</c> while other deployments depend on it (Cloudify's message, up to three of them);
    /// with force, those dependencies lose their target instead.
    /// </summary>
    Task<bool> DeleteDeploymentAsync(string tenantName, string id, bool force, CancellationToken cancellationToken = default);
}
