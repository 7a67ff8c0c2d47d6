using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    Task<Node?> GetNodeAsync(string tenantName, string deploymentId, string nodeId, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, deployment_id, blueprint_id, type, host_id.</summary>
    Task<Page<Node>> ListNodesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    Task<NodeInstance?> GetNodeInstanceAsync(string tenantName, string id, CancellationToken cancellationToken = default);

    /// <summary>Filter/sort fields: id, deployment_id, node_id, state, host_id, index.</summary>
    Task<Page<NodeInstance>> ListNodeInstancesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-set update of a node instance. When <paramref name="expectedVersion"/> is given and the stored
    /// version is greater, throws <c>conflict_error</c> "Node instance update conflict [current version=X, update version=Y]".
    /// Every applied update increments the version. Returns the stored row after the update;
    /// <c>not_found_error</c> if the instance does not exist.
    /// </summary>
    Task<NodeInstance> UpdateNodeInstanceAsync(
        string tenantName,
        string id,
        NodeInstanceUpdate update,
        long? expectedVersion,
        CancellationToken cancellationToken = default);

    /// <summary>Sets the state of many instances in one statement (no version check; the engine owns state).</summary>
    Task SetNodeInstanceStatesAsync(
        string tenantName,
        IReadOnlyList<(string Id, string State)> states,
        CancellationToken cancellationToken = default);
}
