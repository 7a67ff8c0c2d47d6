using Stratus.Core.Model;

namespace Stratus.Storage;

/// <summary>
/// Labels are written with their resource (<see cref="InsertBlueprintAsync"/>, <see cref="InsertDeploymentAsync"/>)
/// and read with it (<see cref="Blueprint.Labels"/>, <see cref="Deployment.Labels"/>). Keys and values arrive
/// validated; the store keeps the <c>csys-obj-parent</c> graph and the parents' <c>csys-consumer-id</c> labels.
/// </summary>
public partial interface IStratusStore
{
    /// <summary>
    /// Replaces the blueprint's labels with <paramref name="labels"/>: pairs already present keep their creation time
    /// and creator, the others are added, the missing ones removed. <c>not_found_error</c> if the blueprint is absent.
    /// </summary>
    Task<Blueprint> ReplaceBlueprintLabelsAsync(
        string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the deployment's labels as Cloudify's deployment PATCH does: <c>csys-consumer-id</c> labels are the
    /// manager's and stay as they are; a <c>csys-obj-parent</c> added links the deployment under that parent (which
    /// gains a <c>csys-consumer-id</c> label naming it), one removed unlinks it. One transaction:
    /// <c>not_found_error</c> if the deployment is absent, <c>deployment_parent_not_found_error</c> (404) for a parent
    /// that does not exist, <c>conflict_error</c> (409) for a parent that would close a cycle.
    /// </summary>
    Task<Deployment> ReplaceDeploymentLabelsAsync(
        string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken = default);

    /// <summary>The deployments that name <paramref name="parentId"/> as their <c>csys-obj-parent</c>, by id.</summary>
    Task<IReadOnlyList<string>> ListChildDeploymentsAsync(string tenantName, string parentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The distinct label keys of the tenant's resources of one kind, ascending; <see cref="ListQuery.Search"/> is a
    /// substring of the key; offset, size, get-all and the private-visibility filter apply; other fields are ignored.
    /// </summary>
    Task<Page<string>> ListLabelKeysAsync(
        string tenantName, LabeledResource resource, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>The distinct values of one label key, ascending; <see cref="ListQuery.Search"/> is a substring of the value.</summary>
    Task<Page<string>> ListLabelValuesAsync(
        string tenantName, LabeledResource resource, string key, ListQuery query, CancellationToken cancellationToken = default);
}
